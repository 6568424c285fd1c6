import Foundation
import Testing
import TollgateCore
import TollgateLedger

@Suite("tollgate: amount bounds and ledgers whose sums overflow")
struct AmountBoundsCommandTests {
    @Test("two 9,000,000,000 credits are refused with the bound; the ledger stays empty and team list works")
    func hugeCredits() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "a", "--budget", "100", "--currency", "USD", "--period", "monthly"])
        for _ in 0..<2 {
            let result = try await cli.run(["ledger", "adjust", "--team", "a", "--amount", "9000000000", "--currency", "USD", "--reason", "typo"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("too large: one amount is at most 1000000000 USD"), "stderr: \(result.stderr)")
        }
        #expect(try await cli.ok(["ledger", "entries", "--format", "json"]) == "[]\n")
        #expect(try await cli.ok(["team", "list"]).contains("a "))
    }

    @Test("a ledger that already overflows opens: the other teams list, the team is named with the fix, and the fix works")
    func overflowingLedger() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "a", "--budget", "100", "--currency", "USD", "--period", "monthly"])
        _ = try await cli.ok(["team", "create", "b", "--budget", "100", "--currency", "USD", "--period", "monthly"])
        do {
            // What two credits of 9,000,000,000 wrote before the bounds existed, one append each.
            let ledger = try SQLiteLedger(path: cli.db)
            let team = try await ledger.team(named: "a")
            for _ in 0..<2 {
                try await ledger.append([
                    .adjustment(
                        kind: .credit,
                        teamID: team.id,
                        chargeUSD: Money(nanos: -9_000_000_000_000_000_000, .usd),
                        chargeCNY: Money(nanos: -9_000_000_000_000_000_000, .cny),
                        fxVersion: "fx-2025-10-01",
                        reason: "typo",
                        at: Date()
                    )
                ])
            }
        }
        let list = try await cli.run(["team", "list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("b "))
        #expect(list.stderr.contains("team 'a'"), "stderr: \(list.stderr)")
        #expect(list.stderr.contains("'tollgate ledger adjust --team a --currency USD"))
        let show = try await cli.run(["team", "show", "a"])
        #expect(show.status != 0)
        #expect(show.stderr.contains("-18000000000.00 USD"), "stderr: \(show.stderr)")
        #expect(try await cli.ok(["team", "show", "b"]).contains("available"))
        // verify sums the raw entries: it says what overflows and where the fix is, not "integer overflow".
        let verify = try await cli.run(["report", "verify"])
        #expect(verify.status != 0)
        #expect(verify.stderr.contains("add up beyond what a 64-bit sum holds"), "stderr: \(verify.stderr)")
        #expect(verify.stderr.contains("`tollgate team list` names it"), "stderr: \(verify.stderr)")
        for _ in 0..<9 {
            _ = try await cli.ok(["ledger", "adjust", "--team", "a", "--amount", "-1000000000", "--currency", "USD", "--reason", "undo the typo"])
        }
        #expect(try await cli.ok(["team", "show", "a"]).contains("-9000000000.00"))
    }
}
