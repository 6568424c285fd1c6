import Foundation
import Testing
import TollgateCore

@testable import TollgateStorage

@Suite("Ledger store, on each engine")
struct LedgerStoreTests {
    @Test("teams are created, found by name and id, listed, updated and disabled", arguments: Engine.available)
    func teams(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "research", budget: try Fixtures.budget(), at: Fixtures.now)
        #expect(try await store.team(named: "research") == team)
        #expect(try await store.team(id: team.id) == team)
        let updated = try await store.updateBudget(teamID: team.id, budget: try Fixtures.budget("80", .usd, .weekly), at: Fixtures.now)
        #expect(updated.budget.limit.description == "80.00 USD")
        #expect(updated.budget.period == .weekly)
        #expect(try await store.setDisabled(teamID: team.id, true, at: Fixtures.now).disabled)
        #expect(try await store.teams().count == 1)
    }

    @Test("duplicate and unknown teams are clear errors", arguments: Engine.available)
    func teamErrors(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        _ = try await store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        await #expect(throws: BudgetError.self) { try await store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now) }
        await #expect(throws: BudgetError.self) { try await store.team(named: "b") }
        #expect(try await store.teams().count == 1)
    }

    @Test("spend sums charges minus credits inside the window only, per currency", arguments: Engine.available)
    func spend(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        let inWindow = try Fixtures.usage(team: team.id)
        let before = try Fixtures.usage(team: team.id, at: Fixtures.now.addingTimeInterval(-40 * 86_400))
        let credit = LedgerEntry.adjustment(
            kind: .credit,
            teamID: team.id,
            chargeUSD: Money(nanos: -1_000_000, .usd),
            chargeCNY: Money(nanos: -1_000_000, .cny),
            fxVersion: "fx",
            reason: "r",
            at: Fixtures.now
        )
        try await store.append([inWindow, before, credit])
        let window = team.budget.window(at: Fixtures.now)
        let spent = try await store.spend(teamID: team.id, currency: .usd, in: window)
        #expect(spent.nanos == inWindow.chargeUSD.nanos - 1_000_000)
        let total = try await store.spend(teamID: team.id, currency: .cny, in: PeriodWindow(start: .distantPast, end: nil))
        #expect(total.nanos == inWindow.chargeCNY.nanos + before.chargeCNY.nanos - 1_000_000)
        #expect(try await store.entryCount() == 3)
    }

    @Test("entries round-trip every field", arguments: Engine.available)
    func roundTrip(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        var entry = try Fixtures.usage(team: team.id, requestID: "req-1")
        entry.localInputTokens = 999
        entry.localOutputTokens = 501
        try await store.append([entry])
        var stored = try #require(try await store.entries(teamID: team.id, from: nil, to: nil, limit: 10).first)
        #expect(stored.id != nil)
        stored.id = nil
        #expect(stored == entry)
    }

    @Test("a batch with a duplicate request id is refused whole: nothing written", arguments: Engine.available)
    func idempotency(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        try await store.append([try Fixtures.usage(team: team.id, requestID: "r1")])
        await #expect(throws: LedgerError.self) {
            try await store.append([try Fixtures.usage(team: team.id, requestID: "r2"), try Fixtures.usage(team: team.id, requestID: "r1")])
        }
        #expect(try await store.entryCount() == 1)
    }

    @Test("an entry for a team that doesn't exist is refused by the foreign key", arguments: Engine.available)
    func foreignKey(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        await #expect(throws: LedgerError.self) { try await store.append([try Fixtures.usage(team: 42)]) }
    }

    @Test("entries are append-only: updates and deletes are refused by the database", arguments: Engine.available)
    func appendOnly(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        try await store.append([try Fixtures.usage(team: team.id)])
        await #expect(throws: (any Error).self) { try await fixture.execute("UPDATE ledger_entries SET charge_usd_nanos = 0") }
        await #expect(throws: (any Error).self) { try await fixture.execute("DELETE FROM ledger_entries") }
        #expect(try await store.entryCount() == 1)
    }

    @Test("keys: add, find by prefix, list, revoke once", arguments: Engine.available)
    func keys(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        let record = try await store.addKey(teamID: team.id, prefix: "tg_abc", hash: Data([1, 2, 3]), label: "ci", at: Fixtures.now)
        #expect(try await store.key(prefix: "tg_abc") == record)
        #expect(try await store.keys(teamID: team.id) == [record])
        #expect(try await store.keys(teamID: nil).count == 1)
        let revoked = try await store.revokeKey(prefix: "tg_abc", at: Fixtures.now)
        #expect(!revoked.isActive)
        await #expect(throws: BudgetError.self) { try await store.revokeKey(prefix: "tg_abc", at: Fixtures.now) }
        await #expect(throws: BudgetError.self) { try await store.revokeKey(prefix: "tg_nope", at: Fixtures.now) }
    }

    @Test("a key and its team are read together, with the current revocation and team state", arguments: Engine.available)
    func keyWithTeam(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        _ = try await store.createTeam(name: "other", budget: try Fixtures.budget(), at: Fixtures.now)
        let team = try await store.createTeam(name: "a", budget: try Fixtures.budget("80", .usd, .weekly), at: Fixtures.now)
        let record = try await store.addKey(teamID: team.id, prefix: "tg_abc", hash: Data([1, 2, 3]), label: nil, at: Fixtures.now)
        let found = try #require(try await store.keyWithTeam(prefix: "tg_abc"))
        #expect(found.key == record)
        #expect(found.team == team)
        #expect(try await store.keyWithTeam(prefix: "tg_nope") == nil)

        let disabled = try await store.setDisabled(teamID: team.id, true, at: Fixtures.now)
        _ = try await store.revokeKey(prefix: "tg_abc", at: Fixtures.now)
        let after = try #require(try await store.keyWithTeam(prefix: "tg_abc"))
        #expect(after.team == disabled)
        #expect(after.team.disabled)
        #expect(!after.key.isActive)
        #expect(after.key == (try await store.key(prefix: "tg_abc")))
    }

    @Test("nothing is reserved on a fresh ledger", arguments: Engine.available)
    func reservedAtRest(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        #expect(try await store.reserved(teamID: team.id, currency: .cny) == .zero(.cny))
    }
}
