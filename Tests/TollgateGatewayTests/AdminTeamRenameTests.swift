import Foundation
import NIOHTTP1
import Testing
import TollgateAdmin
import TollgateCore

@Suite("Gateway /admin team rename")
struct AdminTeamRenameTests {
    @Test("PUT /admin/teams/{team}/name renames the team; its key keeps working and is charged under the new name")
    func rename() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            #expect(try await harness.chat(key: harness.alphaKey).status == 200)
            let renamed = try await harness.send(.PUT, "/admin/teams/alpha/name", key: admin, json: #"{"name":"研发"}"#)
            #expect(renamed.status == 200, "\(renamed.body)")
            #expect(try renamed.json()["team"] as? String == "研发")
            let shown = try await harness.send(.GET, "/admin/teams/%E7%A0%94%E5%8F%91", key: admin)
            #expect(shown.status == 200, "\(shown.body)")
            #expect(try shown.json()["spent"] as? String != "0.00")
            #expect(try await harness.send(.GET, "/admin/teams/alpha", key: admin).status == 404)
            #expect(try await harness.chat(key: harness.alphaKey).status == 200)
            #expect(try await harness.admin.teamStatus("研发").budget.spent.isPositive)
            let keys = try await harness.send(.GET, "/admin/keys?team=%E7%A0%94%E5%8F%91", key: admin)
            #expect((try keys.json()["data"] as? [[String: Any]])?.count == 1, "\(keys.body)")
        }
    }

    @Test("an unknown team is 404, a taken name 409, an invalid or missing name 400, each saying what to send; nothing changes")
    func errors() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            let unknown = try await harness.send(.PUT, "/admin/teams/ghost/name", key: admin, json: #"{"name":"spirit"}"#)
            #expect(unknown.status == 404)
            #expect(try unknown.error()["code"] as? String == "unknown_team")
            #expect(unknown.errorMessage.contains("no team named 'ghost': GET /admin/teams lists the teams"), "\(unknown.body)")
            let taken = try await harness.send(.PUT, "/admin/teams/alpha/name", key: admin, json: #"{"name":"beta"}"#)
            #expect(taken.status == 409)
            #expect(try taken.error()["code"] as? String == "duplicate_team")
            #expect(taken.errorMessage.contains("a team named 'beta' already exists"), "\(taken.body)")
            for body in [#"{"name":""}"#, #"{"name":".."}"#, #"{"name":"has space"}"#] {
                let invalid = try await harness.send(.PUT, "/admin/teams/alpha/name", key: admin, json: body)
                #expect(invalid.status == 400, "\(body): \(invalid.body)")
                #expect(try invalid.error()["code"] as? String == "invalid_input")
                #expect(invalid.errorMessage.contains("use 1 to 64 letters, digits"), "\(invalid.body)")
            }
            let missing = try await harness.send(.PUT, "/admin/teams/alpha/name", key: admin, json: #"{"team":"gamma"}"#)
            #expect(missing.status == 400 && missing.errorMessage.contains("missing field 'name'"), "\(missing.body)")
            let wrongType = try await harness.send(.PUT, "/admin/teams/alpha/name", key: admin, json: #"{"name":7}"#)
            #expect(wrongType.status == 400 && wrongType.errorMessage.contains("'name' has the wrong type"), "\(wrongType.body)")
            #expect(try await harness.send(.PUT, "/admin/teams/alpha/name", key: harness.alphaKey, json: #"{"name":"mine"}"#).status == 401)
            #expect(try await harness.admin.store.teams().map(\.name) == ["alpha", "beta"])
        }
    }
}
