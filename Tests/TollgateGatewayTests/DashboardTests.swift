import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TollgateCore
import TollgateRelaySim

/// Reads the `data-team`/`data-field` cells of the dashboard's budget table.
enum DashboardCells {
    static func values(_ html: String) -> [String: [String: String]] {
        let pattern = #/<td data-team="([^"]*)" data-field="([^"]*)"[^>]*>([^<]*)</td>/#
        var teams: [String: [String: String]] = [:]
        for match in html.matches(of: pattern) {
            teams[String(match.1), default: [:]][String(match.2)] = String(match.3)
        }
        return teams
    }
}

@Suite("Web dashboard", .serialized)
struct DashboardTests {
    /// A client that shows redirects instead of following them.
    static func fetch(_ url: String, headers: [(String, String)] = []) async throws -> Exchange {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            var request = HTTPClientRequest(url: url)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 16 << 20)
            try await client.shutdown()
            return Exchange(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test("/dashboard is refused without the admin token; ?token= sets an HttpOnly SameSite=Strict cookie that opens only the dashboard")
    func access() async throws {
        try await GatewayHarness.run(adminToken: nil) { gateway in
            let disabled = try await Self.fetch(gateway.base + "/dashboard")
            #expect(disabled.status == 503 && disabled.body.contains("TOLLGATE_ADMIN_TOKEN"))
        }
        try await GatewayHarness.run { gateway in
            let anonymous = try await Self.fetch(gateway.base + "/dashboard")
            #expect(anonymous.status == 401)
            #expect(anonymous.body.contains("/dashboard?token=") && !anonymous.body.contains("Budgets"))
            let teamKey = try await Self.fetch(gateway.base + "/dashboard", headers: [("Authorization", "Bearer \(gateway.alphaKey)")])
            #expect(teamKey.status == 401)
            let wrong = try await Self.fetch(gateway.base + "/dashboard?token=guess")
            #expect(wrong.status == 401 && wrong.header("Set-Cookie") == nil)

            let login = try await Self.fetch(gateway.base + "/dashboard?token=\(GatewayHarness.adminToken)")
            #expect(login.status == 303 && login.header("Location") == "/dashboard")
            let cookie = try #require(login.header("Set-Cookie"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/dashboard"))
            #expect(!cookie.contains(GatewayHarness.adminToken), "the cookie never carries the token itself")
            let session = String(try #require(cookie.split(separator: ";").first))

            let page = try await Self.fetch(gateway.base + "/dashboard", headers: [("Cookie", session)])
            #expect(page.status == 200 && page.body.contains("<h2>Budgets</h2>"))
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            let forged = try await Self.fetch(gateway.base + "/dashboard", headers: [("Cookie", "tollgate_dashboard=00ff")])
            #expect(forged.status == 401)
            let adminWithCookie = try await Self.fetch(gateway.base + "/admin/teams", headers: [("Cookie", session)])
            #expect(adminWithCookie.status == 401, "the admin API takes only the bearer token")
            let bearer = try await Self.fetch(gateway.base + "/dashboard", headers: [("Authorization", "Bearer \(GatewayHarness.adminToken)")])
            #expect(bearer.status == 200)
        }
    }

    @Test("the page's budgets equal the admin API's, its savings equal the ledger's, and it lists refusals")
    func numbersMatchAdminAPI() async throws {
        try await GatewayHarness.run { gateway in
            #expect(try await gateway.chat(key: gateway.alphaKey, maxTokens: 40).status == 200)
            #expect(try await gateway.chat(key: gateway.alphaKey, stream: true, includeUsage: true, maxTokens: 30).status == 200)
            #expect(try await gateway.chat(key: gateway.betaKey, model: "deepseek-v3.2", maxTokens: 50).status == 200)
            let tinyKey = try await gateway.team("tiny", budget: "0.0001")
            #expect(try await gateway.chat(key: tinyKey, maxTokens: 200).status == 402)
            #expect(try await gateway.chat(key: "tg_not_a_key").status == 401)

            let page = try await gateway.send(.GET, "/dashboard", key: GatewayHarness.adminToken)
            #expect(page.status == 200)
            let api = try await gateway.send(.GET, "/admin/teams", key: GatewayHarness.adminToken)
            let teams = try #require(try api.json()["data"] as? [[String: Any]])
            let cells = DashboardCells.values(page.body)
            #expect(Set(cells.keys) == ["alpha", "beta", "tiny"])
            for team in teams {
                let name = try #require(team["team"] as? String)
                let row = try #require(cells[name])
                #expect(row["budget"] == "\(team["budget"] as? String ?? "?") \(team["currency"] as? String ?? "?")")
                for field in ["spent", "reserved", "remaining"] { #expect(row[field] == team[field] as? String, "\(name) \(field)") }
                #expect(row["percent_used"] == "\(team["percent_used"] as? String ?? "?") %")
                #expect(row["resets_at"] == team["resets_at"] as? String)
                #expect(row["alerts"] == "50,80,100,exhausted,overrun")
            }
            #expect(cells["alpha"]?["spent"] != "0.00", "alpha's two requests are billed")

            // Savings: the ledger's own sums of this month's entries, paid and baseline.
            var paid = Money.zero(.cny)
            var baseline = Money.zero(.cny)
            for name in ["alpha", "beta"] {
                for entry in try await gateway.entries(team: name) {
                    paid = paid + entry.chargeCNY
                    baseline = baseline + entry.baselineCNY
                }
            }
            #expect(page.body.contains("data-field=\"month_paid_cny\">¥\(paid.decimalString)<"))
            #expect(page.body.contains("data-savings=\"TOTAL\">\((baseline - paid).decimalString)<"))
            #expect(page.body.contains("<svg") && !page.body.contains("<script") && !page.body.contains("src="))

            // Per key: alpha's two requests under the key they were made with, with their paid CNY.
            let alphaEntries = try await gateway.entries(team: "alpha")
            let keyID = try #require(alphaEntries.first?.keyID)
            let prefix = try #require(try await gateway.ledger.keys(teamID: nil).first { $0.id == keyID }?.prefix)
            let alphaPaid = alphaEntries.reduce(Money.zero(.cny)) { $0 + $1.chargeCNY }
            #expect(page.body.contains("data-key=\"\(prefix)\" data-field=\"requests\">2<"))
            #expect(page.body.contains("data-key=\"\(prefix)\" data-field=\"paid_cny\">\(alphaPaid.decimalString)<"))
            #expect(page.body.contains("<tr data-event=\"refusal\">"))
            #expect(page.body.contains("<td>tiny</td><td>budget_exceeded</td>"))
            #expect(page.body.contains("<td>-</td><td>invalid_api_key</td>"))
            #expect(page.body.contains("<span data-open=\"sse\">sse: 0</span>"))
        }
    }

    @Test("a stream cut off by a soft budget is listed as a cutoff for its team")
    func cutoffListed() async throws {
        try await GatewayHarness.run(simulator: RelaySimulatorConfiguration(outputTokens: 200)) { gateway in
            let key = try await gateway.team("frugal", budget: "0.0003", policy: .soft)
            #expect(try await gateway.chat(key: key, stream: true, includeUsage: true).status == 200)
            #expect(try await gateway.entries(team: "frugal").first?.outcome == "cut_off")
            let page = try await gateway.send(.GET, "/dashboard", key: GatewayHarness.adminToken)
            #expect(page.body.contains("<tr data-event=\"cutoff\">"))
            #expect(page.body.contains("<td>cutoff</td><td>frugal</td><td>budget_exceeded</td>"))
            let event = try #require(gateway.observers.activity.recentEvents.first)
            #expect(event.kind == .cutoff && event.team == "frugal")
        }
    }

    @Test("a stream in flight shows as open, by protocol, and is gone once it ends")
    func liveStreams() async throws {
        try await GatewayHarness.run(simulator: RelaySimulatorConfiguration(tokensPerSecond: 25)) { gateway in
            let streaming = Task { try await gateway.chat(key: gateway.alphaKey, stream: true, maxTokens: 50) }
            let deadline = ContinuousClock.now + .seconds(10)
            while gateway.observers.activity.openCounts[.sse] != 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            let during = try await gateway.send(.GET, "/dashboard", key: GatewayHarness.adminToken)
            #expect(during.body.contains("<span data-open=\"sse\">sse: 1</span>"))
            #expect(during.body.contains("<td>alpha</td><td>gpt-4.1</td><td>sse</td>"))
            #expect(try await streaming.value.status == 200)
            let after = try await gateway.send(.GET, "/dashboard", key: GatewayHarness.adminToken)
            #expect(after.body.contains("<span data-open=\"sse\">sse: 0</span>"))
            #expect(gateway.observers.activity.openStreams.isEmpty)
        }
    }

    @Test(
        "a WebSocket turn in flight counts as an open websocket stream",
        .enabled(if: PythonClient.webSocketReady, "python3 with the websocket-client module is required: pip install websocket-client")
    )
    func liveWebSocket() async throws {
        try await GatewayHarness.run(simulator: RelaySimulatorConfiguration(tokensPerSecond: 25, outputTokens: 60)) { gateway in
            let flow = Task {
                try await PythonClient.runOffPool(
                    ["python3", RelayWebSocketEndpointTests.script, "--url", "ws://127.0.0.1:\(gateway.port)/v1/ws/stream", "--key", gateway.betaKey]
                )
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while gateway.observers.activity.openCounts[.websocket] != 1, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            let during = try await gateway.send(.GET, "/dashboard", key: GatewayHarness.adminToken)
            #expect(during.body.contains("<span data-open=\"websocket\">websocket: 1</span>"))
            #expect(during.body.contains("<td>beta</td><td>gpt-4.1</td><td>websocket</td>"))
            #expect(try await flow.value.status == 0)
            #expect(gateway.observers.activity.openCounts[.websocket] == 0)
        }
    }
}
