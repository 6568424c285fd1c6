import Foundation
import Testing
import TollgateCore
import TollgateStorage

@testable import TollgateAdmin

@Suite("Team rename")
struct TeamRenameTests {
    @Test("a renamed team's keys authenticate as it, its budget and spend are kept, its status reads under the new name")
    func keepsEverything() async throws {
        let fixture = try AdminFixture()
        let team = try await fixture.team()
        let issued = try await fixture.admin.createKey(team: "research", label: "ci")
        _ = try await fixture.admin.adjust(team: "research", amount: try Money(parsing: "-12", .cny), reason: "usage before the move")
        let before = try await fixture.admin.teamStatus("research")

        let renamed = try await fixture.admin.renameTeam("research", to: "研发-platform.v2")
        #expect(renamed.id == team.id && renamed.name == "研发-platform.v2")
        let after = try await fixture.admin.teamStatus("研发-platform.v2")
        #expect(after.budget == before.budget && after.team.budget == before.team.budget)
        #expect(try await fixture.admin.authenticate(issued.secret).team.name == "研发-platform.v2")
        #expect(try await fixture.admin.listKeys(team: "研发-platform.v2").map(\.key.prefix) == [issued.record.prefix])
        // Renaming to its own name changes nothing.
        #expect(try await fixture.admin.renameTeam("研发-platform.v2", to: "研发-platform.v2") == renamed)
    }

    @Test("an unknown team, a taken name and names the create rule refuses are refused with the reason; nothing changes")
    func errors() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        _ = try await fixture.team("ops")
        let unknown = await #expect(throws: BudgetError.self) { try await fixture.admin.renameTeam("ghost", to: "spirit") }
        #expect(unknown?.code == .unknownTeam && unknown?.description.contains("no team named 'ghost'") == true)
        let taken = await #expect(throws: BudgetError.self) { try await fixture.admin.renameTeam("research", to: "ops") }
        #expect(taken?.code == .duplicateTeam)
        for bad in ["", ".", "..", "-flag", "has space", "a/b", String(repeating: "x", count: 65)] {
            let refused = await #expect(throws: BudgetError.self) { try await fixture.admin.renameTeam("research", to: bad) }
            #expect(refused?.code == .invalidInput, "\(bad)")
            #expect(refused?.description.contains("use 1 to 64 letters, digits") == true, "\(bad)")
        }
        #expect(try await fixture.ledger.teams().map(\.name) == ["ops", "research"])
    }
}
