import Foundation
import Testing
import TollgateCore

@testable import TollgateAdmin

@Suite("Amount bounds on adjustments, and ledgers whose sums overflow")
struct AmountBoundsAdminTests {
    @Test("a 9,000,000,000 credit is refused whether typed or passed as money; nothing is written")
    func hugeCredit() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team("a", "100", .usd)
        #expect(throws: MoneyError.self) { try Money(parsing: "9000000000", .usd) }
        let error = await #expect(throws: BudgetError.self) {
            try await fixture.admin.adjust(team: "a", amount: Money(nanos: 9_000_000_000_000_000_000, .usd), reason: "typo")
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.description.contains("at most 1000000000") == true)
        #expect(try await fixture.ledger.entryCount() == 0)
    }

    @Test("credits that would take a team's net past ±10^9 are refused; corrections back toward zero are not")
    func teamNetBound() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team("a", "100", .usd)
        let billion = try Money(parsing: "1000000000", .usd)
        _ = try await fixture.admin.adjust(team: "a", amount: billion, reason: "first")
        let error = await #expect(throws: BudgetError.self) { try await fixture.admin.adjust(team: "a", amount: billion, reason: "second") }
        #expect(error?.description.contains("team 'a' would have a net charge of -2000000000.00 USD") == true)
        #expect(try await fixture.ledger.entryCount() == 1)
        _ = try await fixture.admin.adjust(team: "a", amount: -billion, reason: "undo")
        #expect(try await fixture.admin.teamStatus("a").budget.spent == .zero(.usd))
    }

    @Test("a ledger whose sums already overflow still lists the other teams, names the team and the fix, and accepts the corrections")
    func overflowingLedger() async throws {
        let fixture = try AdminFixture()
        let a = try await fixture.team("a", "100", .usd)
        _ = try await fixture.team("b", "100", .usd)
        // What two `--amount 9000000000` credits wrote before the bounds: two appends, past Int64 together.
        for _ in 0..<2 {
            try await fixture.ledger.append([
                .adjustment(
                    kind: .credit,
                    teamID: a.id,
                    chargeUSD: Money(nanos: -9_000_000_000_000_000_000, .usd),
                    chargeCNY: Money(nanos: -9_000_000_000_000_000_000, .cny),
                    fxVersion: "fx-2025-10-01",
                    reason: "typo",
                    at: AdminFixture.now
                )
            ])
        }
        let report = try await fixture.admin.teamStatusReport()
        #expect(report.statuses.map(\.team.name) == ["b"])
        let problem = try #require(report.unreadable.first)
        #expect(problem.code == .ledgerOverflow)
        #expect(problem.description.contains("team 'a'"))
        #expect(problem.description.contains("-18000000000.00 USD"))
        #expect(problem.description.contains("append correcting entries of at most 1000000000 each and positive amounts (credits)") == false)
        #expect(problem.description.contains("append correcting entries of at most 1000000000 each and negative amounts (charges)"))
        // The facts for each edge to word its fix ('tollgate ledger adjust --team a' is tested at the CLI).
        #expect(problem.problem == .ledgerOverflow(team: "a", currency: .usd, netNanos: -18_000_000_000_000_000_000))
        await #expect(throws: BudgetError.self) { try await fixture.admin.teamStatus("a") }
        #expect(try await fixture.admin.teamStatus("b").budget.spent == .zero(.usd))

        // Away from zero is refused; toward zero is accepted until the sums fit again.
        await #expect(throws: BudgetError.self) {
            try await fixture.admin.adjust(team: "a", amount: try Money(parsing: "1", .usd), reason: "more credit")
        }
        let correction = try Money(parsing: "-1000000000", .usd)
        for _ in 0..<9 { _ = try await fixture.admin.adjust(team: "a", amount: correction, reason: "correct the typo") }
        #expect(try await fixture.admin.teamStatus("a").budget.spent == Money(nanos: -9_000_000_000_000_000_000, .usd))
        #expect(try await fixture.admin.teamStatusReport().unreadable.isEmpty)
    }
}
