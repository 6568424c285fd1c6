import Foundation
import Testing
import TollgateAdmin
import TollgateCore

@Suite("Gateway /admin API: hold policy")
struct AdminHoldPolicyTests {
    @Test("create and patch accept hold; the team JSON shows it; a team created without it holds the worst case")
    func hold() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            let created = try await harness.send(
                .POST,
                "/admin/teams",
                key: admin,
                json: #"""
                    {"name":"gamma","budget":"100","currency":"USD","period":"monthly","hold":"expected"}
                    """#
            )
            #expect(created.status == 201, "\(created.body)")
            #expect(try created.json()["hold"] as? String == "expected")
            #expect(try await harness.admin.teamStatus("gamma").team.budget.hold == .expected)

            let plain = try await harness.send(
                .POST,
                "/admin/teams",
                key: admin,
                json: #"{"name":"delta","budget":"100","currency":"USD","period":"monthly"}"#
            )
            #expect(try plain.json()["hold"] as? String == "worst-case")

            let patched = try await harness.send(.PATCH, "/admin/teams/gamma/budget", key: admin, json: #"{"hold":"worst-case"}"#)
            #expect(patched.status == 200, "\(patched.body)")
            #expect(try patched.json()["hold"] as? String == "worst-case")
            #expect(try patched.json()["budget"] as? String == "100.00")
            let shown = try await harness.send(.GET, "/admin/teams/gamma", key: admin)
            #expect(try shown.json()["hold"] as? String == "worst-case")
            let listed = try #require(try await harness.send(.GET, "/admin/teams", key: admin).json()["data"] as? [[String: Any]])
            #expect(listed.allSatisfy { $0["hold"] is String })
        }
    }

    @Test("a bad hold value is 400 naming the allowed values, on create and on patch; nothing changes")
    func badValue() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            let created = try await harness.send(
                .POST,
                "/admin/teams",
                key: admin,
                json: #"""
                    {"name":"gamma","budget":"100","currency":"USD","period":"monthly","hold":"p95"}
                    """#
            )
            #expect(created.status == 400, "\(created.body)")
            #expect(created.errorMessage.contains("unknown hold policy 'p95': use one of worst-case, expected"), "\(created.body)")
            #expect(try await harness.admin.teamStatuses().allSatisfy { $0.team.name != "gamma" })

            let patched = try await harness.send(.PATCH, "/admin/teams/alpha/budget", key: admin, json: #"{"hold":"sometimes"}"#)
            #expect(patched.status == 400, "\(patched.body)")
            #expect(patched.errorMessage.contains("use one of worst-case, expected"), "\(patched.body)")
            let wrongType = try await harness.send(.PATCH, "/admin/teams/alpha/budget", key: admin, json: #"{"hold":true}"#)
            #expect(wrongType.status == 400, "\(wrongType.body)")
            #expect(try await harness.admin.teamStatus("alpha").team.budget.hold == .worstCase)
        }
    }
}
