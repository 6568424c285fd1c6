import Foundation
import NIOHTTP1
import Testing
import TollgateCore

/// Admin paths carry team names percent-encoded; names break no path rule; unknown routes answer
/// JSON in the gateway's error shape.
@Suite("Gateway admin paths, team names and unknown routes")
struct AdminPathTests {
    static let admin = GatewayHarness.adminToken

    @Test("a team named 研发 is created, shown, keyed and disabled through percent-encoded admin paths")
    func percentDecoded() async throws {
        try await GatewayHarness.run { harness in
            let created = try await harness.send(
                .POST,
                "/admin/teams",
                key: Self.admin,
                json: #"{"name":"研发","budget":"100","currency":"CNY","period":"monthly"}"#
            )
            #expect(created.status == 201, "\(created.body)")
            let path = "/admin/teams/%E7%A0%94%E5%8F%91"
            let shown = try await harness.send(.GET, path, key: Self.admin)
            #expect(shown.status == 200, "\(shown.body)")
            #expect(try shown.json()["team"] as? String == "研发")
            #expect(try await harness.send(.POST, path + "/keys", key: Self.admin).status == 201)
            let keys = try await harness.send(.GET, "/admin/keys?team=%E7%A0%94%E5%8F%91", key: Self.admin)
            #expect(keys.status == 200, "\(keys.body)")
            #expect(((try keys.json()["data"] as? [[String: Any]]) ?? []).map { $0["team"] as? String } == ["研发"])
            let disabled = try await harness.send(.POST, path + "/disable", key: Self.admin)
            #expect(disabled.status == 200, "\(disabled.body)")
            #expect(try disabled.json()["disabled"] as? Bool == true)
            #expect(try await harness.ledger.team(named: "研发").disabled)
            // A truncated UTF-8 sequence, sent as is (AsyncHTTPClient would normalise the URL first).
            let script = """
                import http.client, sys
                c = http.client.HTTPConnection("127.0.0.1", \(harness.port))
                c.request("GET", "/admin/teams/%E7%A0", headers={"Authorization": "Bearer \(Self.admin)"})
                r = c.getresponse()
                print(r.status, r.read().decode())
                """
            let broken = try await PythonClient.runOffPool(["python3", "-c", script])
            #expect(broken.stdout.hasPrefix("400 "), "\(broken.stdout) \(broken.stderr)")
            #expect(broken.stdout.contains("not valid percent-encoding"))
        }
    }

    @Test("team names '.', '..' and '-2-3' are refused with the rule", arguments: [".", "..", "-2-3"])
    func refusedNames(name: String) async throws {
        try await GatewayHarness.run { harness in
            let refused = try await harness.send(
                .POST,
                "/admin/teams",
                key: Self.admin,
                json: #"{"name":"\#(name)","budget":"100","currency":"CNY","period":"monthly"}"#
            )
            #expect(refused.status == 400)
            #expect(refused.errorMessage.contains("not starting with '-' and not '.' or '..'"), "\(refused.body)")
            #expect(try await harness.ledger.teams().allSatisfy { $0.name != name })
        }
    }

    @Test("unknown routes and known paths with another method answer a JSON 404 in the error shape")
    func unknownRoutes() async throws {
        try await GatewayHarness.run { harness in
            for (method, path) in [(HTTPMethod.GET, "/nope"), (.GET, "/v1/chat/completions"), (.DELETE, "/admin/teams"), (.GET, "/v1/models/x")] {
                let exchange = try await harness.send(method, path, key: harness.alphaKey)
                #expect(exchange.status == 404, "\(method) \(path)")
                #expect(exchange.header("Content-Type") == "application/json")
                #expect(try exchange.error()["code"] as? String == "unknown_route")
                #expect(exchange.errorMessage.contains("no route for \(method.rawValue) \(path)"), "\(exchange.body)")
            }
            #expect(try await harness.send(.GET, "/healthz", key: nil).status == 200)
        }
    }
}
