import Foundation
import Testing
import TollgateCore

@testable import TollgateGateway

@Suite(
    "Per-key budgets through the gateway and the admin API",
    .enabled(if: PythonClient.openAIReady, "python3 with the openai package is required: pip install openai")
)
struct KeyBudgetGatewayTests {
    @Test("a key out of its own budget gets 402 budget_exceeded with scope key; its team-mate streams; no team exhaustion alert")
    func keyRefused() async throws {
        let folder = TemporaryFolder()
        let teamID = try await GatewayHarness.run(ledgerFolder: folder.url) { harness in
            let mate = try await harness.team("kb", budget: "10")
            let capped = try await harness.admin.createKey(team: "kb", label: "ci", budget: "0.005").secret
            let refused = try await harness.chat(key: capped, maxTokens: 1000)
            #expect(refused.status == 402, "\(refused.body)")
            let error = try refused.error()
            #expect(error["code"] as? String == "budget_exceeded")
            #expect(error["scope"] as? String == "key")
            #expect(error["key"] as? String == String(capped.prefix(12)))
            #expect((error["message"] as? String ?? "").contains("key budget of 0.005 CNY"), "\(refused.body)")
            let ok = try await harness.chat(key: mate, maxTokens: 16)
            #expect(ok.status == 200, "\(ok.body)")
            #expect(try await harness.entries(team: "kb").count == 1)
            return try await harness.ledger.team(named: "kb").id
        }
        #expect(try await GatewayHarness.claimedThresholds(ledgerFolder: folder.url, teamID: teamID).contains(.exhausted) == false)
    }

    @Test("a stream cut by its key's own budget names the key in the error line and the ledger entry; the team's cut says team")
    func keyCutoff() async throws {
        try await GatewayHarness.run(simulator: .init(outputTokens: 200)) { harness in
            _ = try await harness.team("kc", budget: "10", policy: .soft)
            let capped = try await harness.admin.createKey(team: "kc", label: "ci", budget: "0.0003").secret
            let exchange = try await harness.chat(key: capped, stream: true, includeUsage: true)
            #expect(exchange.status == 200)
            let errorLine = try #require(exchange.events.dropLast().last)
            let error = try #require((try JSONSerialization.jsonObject(with: Data(errorLine.utf8)) as? [String: Any])?["error"] as? [String: Any])
            let prefix = String(capped.prefix(12))
            #expect(error["code"] as? String == "budget_exceeded")
            #expect(error["scope"] as? String == "key")
            #expect(error["key"] as? String == prefix)
            #expect((error["message"] as? String ?? "").hasPrefix("key '\(prefix)' budget exhausted:"), "\(errorLine)")
            let entry = try #require(try await harness.entries(team: "kc").first)
            #expect(entry.outcome == "cut_off")
            #expect(entry.reason == "cut off by key \(prefix)'s budget")

            let frugal = try await harness.team("frugal", budget: "0.0003", policy: .soft)
            let teamCut = try await harness.chat(key: frugal, stream: true)
            let teamLine = try #require(teamCut.events.dropLast().last)
            #expect(teamLine.contains("\"scope\":\"team\"") && !teamLine.contains("\"key\""), "\(teamLine)")
            #expect(try await harness.entries(team: "frugal").first?.reason == "cut off by the team's budget")
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

    @Test(
        "the holds burst with a key budget in play: 300 max_tokens 1000 streams on a $1 key under a $100 team all complete with the SDK's retries; the key spends ≤ $1"
    )
    func burst() async throws {
        try await GatewayHarness.run { harness in
            _ = try await harness.admin.createTeam(name: "burst", budget: try Budget(limit: Money(parsing: "100", .usd), period: .monthly))
            let issued = try await harness.admin.createKey(team: "burst", label: "agent", budget: "1")
            let result = try await PythonClient.runOffPool([
                "python3", PythonClient.scripts.appendingPathComponent("openai_burst.py").path,
                "--base-url", "\(harness.base)/v1", "--key", issued.secret, "--streams", "300", "--max-tokens", "1000",
            ])
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains(#""completed": 300"#), "\(result.stdout)")
            let entries = try await harness.entries(team: "burst")
            #expect(entries.count == 300)
            #expect(entries.allSatisfy { $0.keyID == issued.record.id })
            let spent = entries.reduce(Money.zero(.usd)) { $0 + $1.chargeUSD }
            #expect(spent <= (try Money(parsing: "1", .usd)))
            print("burst (key budget $1 under $100): \(result.stdout), key spent \(spent)")
        }
    }
}
