import Foundation
import Testing
import TollgateAdmin
import TollgateCore

@Suite("Team-name rule")
struct TeamNameTests {
    @Test("'.', '..' and names starting with '-' are refused with the rule", arguments: [".", "..", "-2-3", "-x", ""])
    func refused(name: String) async throws {
        let fixture = try AdminFixture()
        await #expect {
            _ = try await fixture.team(name)
        } throws: { error in
            "\(error)".contains("not starting with '-' and not '.' or '..'")
        }
        #expect(try await fixture.ledger.teams().isEmpty)
    }

    @Test("names in any script, with inner '-', '.' and '_', are accepted", arguments: ["研发", "a-b", "v1.2", "_ops", "2-3"])
    func accepted(name: String) async throws {
        let fixture = try AdminFixture()
        #expect(try await fixture.team(name).name == name)
    }

    @Test("a team created before the rule keeps working: shown, budgeted, disabled and enabled")
    func legacyName() async throws {
        let fixture = try AdminFixture()
        let budget = try Budget(limit: Money(parsing: "50", .cny), period: .monthly)
        _ = try await fixture.ledger.createTeam(name: "-legacy", budget: budget, at: AdminFixture.now)
        #expect(try await fixture.admin.teamStatus("-legacy").team.name == "-legacy")
        #expect(try await fixture.admin.disableTeam("-legacy").disabled)
        #expect(try await !fixture.admin.enableTeam("-legacy").disabled)
        #expect(try await fixture.admin.teamStatuses().map(\.team.name) == ["-legacy"])
    }
}
