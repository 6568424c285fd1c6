import Foundation
import Testing
import TollgateCore
import TollgateLedgerPostgres

@testable import TollgateStorage

@Suite("Hold policy and recent outputs, on each engine")
struct HoldPolicyStoreTests {
    typealias Fix = ReservationStoreTests

    @Test("a team's hold policy is stored at creation, changed with its budget, read by admission and key lookup", arguments: Engine.available)
    func roundTrip(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let plain = try await store.createTeam(name: "plain", budget: try Fixtures.budget("1"), at: Fixtures.now)
        var budget = try Fixtures.budget("1")
        budget.hold = .expected
        let team = try await store.createTeam(name: "t", budget: budget, at: Fixtures.now)
        #expect(team.budget.hold == .expected)
        #expect(try await store.team(named: "t").budget.hold == .expected)
        #expect(try await store.team(id: plain.id).budget.hold == .worstCase)
        #expect(try await store.teams().map(\.budget.hold) == [.worstCase, .expected])
        let grant = try await store.reserve(Fix.draft("a", team: team.id), decide: Fix.decide)
        #expect(grant.team.budget.hold == .expected)
        _ = try await store.addKey(teamID: team.id, prefix: "tg-abc", hash: Data([1, 2]), label: nil, at: Fixtures.now)
        #expect(try await store.keyWithTeam(prefix: "tg-abc")?.team.budget.hold == .expected)
        budget.hold = .worstCase
        #expect(try await store.updateBudget(teamID: team.id, budget: budget, at: Fixtures.now).budget.hold == .worstCase)
        #expect(try await store.team(named: "t").budget.hold == .worstCase)
    }

    @Test("the column refuses a value other than worst-case or expected", arguments: Engine.available)
    func checked(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let team = try await fixture.store.createTeam(name: "t", budget: try Fixtures.budget("1"), at: Fixtures.now)
        await #expect(throws: (any Error).self) {
            try await fixture.execute("UPDATE teams SET hold_policy = 'p95' WHERE id = \(team.id)")
        }
        #expect(try await fixture.store.team(id: team.id).budget.hold == .worstCase)
    }

    @Test("recent outputs: the team's completed entries of the model within the age, newest first, at most the limit", arguments: Engine.available)
    func recentOutputs(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("1000"), at: Fixtures.now)
        let other = try await store.createTeam(name: "o", budget: try Fixtures.budget("1000"), at: Fixtures.now)
        var entries: [LedgerEntry] = []
        for minute in 0..<30 {
            entries.append(try Fixtures.usage(team: team.id, output: 100 + minute, at: Fixtures.now.addingTimeInterval(Double(minute) * 60)))
        }
        // Not samples: another model, another team, a cut-off stream, a credit, an entry older than the window.
        entries.append(try Fixtures.usage(team: team.id, model: "deepseek-v3.2", output: 9999, at: Fixtures.now.addingTimeInterval(3600)))
        entries.append(try Fixtures.usage(team: other.id, output: 9998, at: Fixtures.now.addingTimeInterval(3600)))
        var cut = try Fixtures.usage(team: team.id, output: 9997, at: Fixtures.now.addingTimeInterval(3600))
        cut.outcome = "cut_off"
        entries.append(cut)
        entries.append(
            .adjustment(
                kind: .credit,
                teamID: team.id,
                chargeUSD: Money(nanos: -1_000_000_000, .usd),
                chargeCNY: Money(nanos: -7_000_000_000, .cny),
                fxVersion: "fx-2025-10-01",
                reason: "credit",
                at: Fixtures.now.addingTimeInterval(3600)
            )
        )
        entries.append(try Fixtures.usage(team: team.id, output: 9996, at: Fixtures.now.addingTimeInterval(-31 * 86400)))
        try await store.append(entries)

        let since = Fixtures.now.addingTimeInterval(-30 * 86400)
        let recent = try await store.recentOutputTokens(teamID: team.id, model: "gpt-4.1", since: since, limit: 200)
        #expect(recent == (100..<130).reversed().map { $0 })
        #expect(try await store.recentOutputTokens(teamID: team.id, model: "gpt-4.1", since: since, limit: 5) == [129, 128, 127, 126, 125])
        #expect(try await store.recentOutputTokens(teamID: team.id, model: "claude-sonnet-4.5", since: since, limit: 200).isEmpty)
    }

    @Test(
        "migrate-to-postgres copies each team's hold policy",
        .enabled(if: Engine.available.contains(.postgres), "no local PostgreSQL could start (see the SKIPPED line)")
    )
    func copied() async throws {
        let source = try TemporaryLedger()
        var budget = try Fixtures.budget("1")
        budget.hold = .expected
        _ = try await source.ledger.createTeam(name: "expected", budget: budget, at: Fixtures.now)
        _ = try await source.ledger.createTeam(name: "worst", budget: try Fixtures.budget("1"), at: Fixtures.now)
        let target = try await PostgresLedger.connect(url: try TestPostgres.server.get().createDatabase())
        _ = try await LedgerCopy.copy(from: source.ledger, to: target)
        #expect(try await target.teams().map(\.budget.hold) == [.expected, .worstCase])
    }
}
