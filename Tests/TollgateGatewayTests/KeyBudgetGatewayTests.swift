import Foundation
import Testing
import TollgateCore
@testable import TollgateGateway

@Suite("Per-key budgets through the gateway and the admin API")
struct KeyBudgetGatewayTests {
    @Test("a key out of its own budget gets 402 budget_exceeded with scope key; its team-mate streams; no team exhaustion alert")
    func keyRefused() async throws {
        try await GatewayHarness.run { harness in
            let mate = try await harness.team("kb", budget: "10")
            let capped = try await harness.admin.createKey(team: "kb", label: "ci", budget: "0.005").secret
            let refused = try await harness.chat(key: capped, maxTokens: 1000)
            #expect(refused.status == 402, "\(refused.body)")
            let error = try refused.error()
            #expect(error["code"] as? String == "budget_exceeded")
            #expect(error["scope"] as? String == "key")
            #expect(error["key"] as? String == String(capped.prefix(12)))
            #expect((error["message"] as? String ?? "").contains("key budget of 0.005 CNY"), "\(refused.body)")
            let teamID = try await harness.ledger.team(named: "kb").id
            #expect(harness.observers.alerts.drain()[teamID]?.exhausted != true)
            let ok = try await harness.chat(key: mate, maxTokens: 16)
            #expect(ok.status == 200, "\(ok.body)")
            #expect(try await harness.entries(team: "kb").count == 1)
        }
    }

    @Test("admin API: create a key with a budget, set it, remove it; a bad amount is 400 and changes nothing")
    func admin() async throws {
        try await GatewayHarness.run { harness in
            let admin = GatewayHarness.adminToken
            _ = try await harness.team("kb", budget: "10")
            let created = try await harness.send(.POST, "/admin/teams/kb/keys", key: admin, json: #"{"label":"ci","budget":"2","period":"daily"}"#)
            #expect(created.status == 201, "\(created.body)")
            #expect(try created.json()["budget"] as? String == "2.00")
            #expect(try created.json()["budget_currency"] as? String == "CNY")
            #expect(try created.json()["budget_period"] as? String == "daily")
            let prefix = try #require(try created.json()["prefix"] as? String)
            let set = try await harness.send(.PUT, "/admin/keys/\(prefix)/budget", key: admin, json: #"{"budget":"3"}"#)
            #expect(set.status == 200, "\(set.body)")
            #expect(try set.json()["budget"] as? String == "3.00")
            #expect(try set.json()["budget_period"] as? String == "daily")
            let bad = try await harness.send(.PUT, "/admin/keys/\(prefix)/budget", key: admin, json: #"{"budget":"-1"}"#)
            #expect(bad.status == 400, "\(bad.body)")
            #expect(try await harness.ledger.key(prefix: prefix)?.budget?.limit.decimalString == "3.00")
            let removed = try await harness.send(.PUT, "/admin/keys/\(prefix)/budget", key: admin, json: #"{"budget":null}"#)
            #expect(removed.status == 200, "\(removed.body)")
            #expect(try removed.json()["budget"] == nil)
            #expect(try await harness.ledger.key(prefix: prefix)?.budget == nil)
        }
    }
}
