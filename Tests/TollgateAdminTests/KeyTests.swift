import Foundation
import Testing
import TollgateCore

@testable import TollgateAdmin

@Suite("API keys")
struct KeyTests {
    @Test("a created key authenticates; only its prefix and hash are stored")
    func createAndAuthenticate() async throws {
        let fixture = try AdminFixture()
        let team = try await fixture.team()
        let issued = try await fixture.admin.createKey(team: "research", label: "laptop")
        #expect(issued.secret.hasPrefix("tg_"))
        #expect(issued.secret.count == 43)
        #expect(issued.record.prefix == String(issued.secret.prefix(12)))
        #expect(issued.record.hash != Data(issued.secret.utf8))
        let (authenticated, key) = try await fixture.admin.authenticate(issued.secret)
        #expect(authenticated.id == team.id)
        #expect(key.id == issued.record.id)
        #expect(try await fixture.admin.listKeys(team: "research").map(\.team) == ["research"])
    }

    @Test("wrong, short, revoked keys and disabled teams are refused with distinct codes")
    func refusals() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        let issued = try await fixture.admin.createKey(team: "research", label: nil)
        var tampered = issued.secret
        tampered.removeLast()
        tampered.append(issued.secret.last == "A" ? "B" : "A")
        for bad in [tampered, "tg_short", "", issued.secret + "x"] {
            let error = await #expect(throws: BudgetError.self) { try await fixture.admin.authenticate(bad) }
            #expect(error?.code == .invalidKey)
        }
        _ = try await fixture.admin.disableTeam("research")
        let disabled = await #expect(throws: BudgetError.self) { try await fixture.admin.authenticate(issued.secret) }
        #expect(disabled?.code == .teamDisabled)
        _ = try await fixture.admin.enableTeam("research")
        _ = try await fixture.admin.revokeKey(prefix: issued.record.prefix)
        let revoked = await #expect(throws: BudgetError.self) { try await fixture.admin.authenticate(issued.secret) }
        #expect(revoked?.description.contains("revoked") == true)
    }

    @Test("keys are unique and random")
    func randomness() {
        let keys = Set((0..<1000).map { _ in KeyCodec.generate() })
        #expect(keys.count == 1000)
        #expect(Set(keys.map(KeyCodec.prefix(of:))).count == 1000)
    }

    @Test("constant-time comparison agrees with equality")
    func comparison() {
        #expect(KeyCodec.constantTimeEqual(Data([1, 2]), Data([1, 2])))
        #expect(!KeyCodec.constantTimeEqual(Data([1, 2]), Data([1, 3])))
        #expect(!KeyCodec.constantTimeEqual(Data([1, 2]), Data([1, 2, 3])))
    }
}
