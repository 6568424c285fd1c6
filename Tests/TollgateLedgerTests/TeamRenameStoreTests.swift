import Foundation
import Testing
import TollgateCore

@testable import TollgateStorage

@Suite("Team rename, on each engine")
struct TeamRenameStoreTests {
    typealias Fix = ReservationStoreTests

    @Test("a renamed team keeps its id, budget, keys, entries and holds; the old name is free again", arguments: Engine.available)
    func rename(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "research", budget: try Fixtures.budget("10"), at: Fixtures.now)
        _ = try await store.addKey(teamID: team.id, prefix: "tg_rename", hash: Data([1]), label: nil, at: Fixtures.now)
        try await store.append([try Fixtures.usage(team: team.id)])
        let window = team.budget.window(at: Fixtures.now)
        let spent = try await store.spend(teamID: team.id, currency: .cny, in: window)
        #expect(try await store.reserve(Fix.draft("held", team: team.id), decide: Fix.decide).held)

        let renamed = try await store.renameTeam(teamID: team.id, to: "platform", at: Fixtures.now)
        #expect(renamed.id == team.id && renamed.name == "platform" && renamed.budget == team.budget)
        #expect(try await store.team(named: "platform").id == team.id)
        #expect(try await store.keyWithTeam(prefix: "tg_rename")?.team.name == "platform")
        #expect(try await store.keys(teamID: team.id).map(\.prefix) == ["tg_rename"])
        #expect(try await store.spend(teamID: team.id, currency: .cny, in: window) == spent)
        #expect(try await store.openReservations(teamID: team.id).map(\.draft.id) == ["held"])
        #expect(try await store.reserve(Fix.draft("after", team: team.id), decide: Fix.decide).held)
        let gone = await #expect(throws: BudgetError.self) { try await store.team(named: "research") }
        #expect(gone?.code == .unknownTeam)
        #expect(try await store.createTeam(name: "research", budget: try Fixtures.budget("1"), at: Fixtures.now).id != team.id)
    }

    @Test("a name another team has is refused as duplicate_team, an unknown id as unknown_team; nothing changes", arguments: Engine.available)
    func refused(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "research", budget: try Fixtures.budget("10"), at: Fixtures.now)
        let other = try await store.createTeam(name: "ops", budget: try Fixtures.budget("10"), at: Fixtures.now)
        let taken = await #expect(throws: BudgetError.self) { try await store.renameTeam(teamID: team.id, to: "ops", at: Fixtures.now) }
        #expect(taken?.code == .duplicateTeam)
        #expect(taken?.description.contains("'ops' already exists") == true)
        let unknown = await #expect(throws: BudgetError.self) { try await store.renameTeam(teamID: 9_999, to: "new", at: Fixtures.now) }
        #expect(unknown?.code == .unknownTeam)
        #expect(try await store.teams().map(\.name) == ["ops", "research"])
        #expect(try await store.team(named: "ops").id == other.id)
    }
}
