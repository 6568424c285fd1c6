import Foundation
import Testing
import TollgateCore
import TollgateStorage

@testable import TollgateGateway

/// `budget_busy` (429, Retry-After) when unspent money would cover a request but streams in flight
/// hold it; `budget_exceeded` (402) only when the budget is spent.
@Suite(
    "Budget busy through the gateway",
    .enabled(if: PythonClient.webSocketReady, "python3 with the websocket-client module is required: pip install websocket-client"),
    .enabled(if: PythonClient.openAIReady, "python3 with the openai package is required: pip install openai")
)
struct BudgetBusyGatewayTests {
    /// Holds `amount` of `team`'s budget for a stream in flight elsewhere.
    static func holdElsewhere(_ harness: GatewayHarness, team: String, amount: Money) async throws {
        let id = try await harness.ledger.team(named: team).id
        let draft = ReservationDraft(
            id: "elsewhere-\(team)",
            teamID: id,
            keyID: nil,
            model: "gpt-4.1",
            priceVersion: "2025-10-01",
            fxVersion: "fx-2025-10-01",
            prompt: try TokenUsage(inputTokens: 10, outputTokens: 0),
            tokenSource: .tokenizer,
            occurredAt: Date(),
            leaseExpiresAt: Date().addingTimeInterval(60)
        )
        _ = try await harness.ledger.reserve(draft) { _, _ in .admitted(hold: amount, maxOutputTokens: 1000) }
    }

    @Test("HTTP: 429 budget_busy with Retry-After, the amount held and the streams holding it; the WebSocket gets the same code")
    func busy() async throws {
        let folder = TemporaryFolder()
        let busyID = try await GatewayHarness.run(ledgerFolder: folder.url) { harness in
            let key = try await harness.team("busy", budget: "1")
            try await Self.holdElsewhere(harness, team: "busy", amount: try Money(parsing: "0.995", .cny))
            let refused = try await harness.chat(key: key, stream: true, maxTokens: 1000)
            #expect(refused.status == 429, "\(refused.body)")
            #expect(refused.header("Retry-After") == "1")
            let error = try refused.error()
            #expect(error["code"] as? String == "budget_busy")
            #expect(error["held"] as? String == "0.995")
            #expect(error["holding_streams"] as? String == "1")
            #expect(error["currency"] as? String == "CNY")
            #expect(error["available"] as? String == "0.005")

            let ws = try await PythonClient.runOffPool([
                "python3", PythonClient.scripts.appendingPathComponent("seed_ws_flow.py").path,
                "--url", "ws://127.0.0.1:\(harness.port)/v1/ws/stream", "--key", key, "--max-tokens", "1000",
            ])
            #expect(ws.status == 2, "\(ws.stdout) \(ws.stderr)")
            #expect(ws.stdout.contains(#""code": "budget_busy""#), "\(ws.stdout)")
            #expect(try await harness.entries(team: "busy").isEmpty)
            return try await harness.ledger.team(named: "busy").id
        }
        // Busy is not exhaustion: no `exhausted` alert is claimed for it.
        #expect(try await GatewayHarness.claimedThresholds(ledgerFolder: folder.url, teamID: busyID).contains(.exhausted) == false)
    }

    @Test("HTTP: a spent budget is still 402 budget_exceeded, at once")
    func spent() async throws {
        let folder = TemporaryFolder()
        let spentID = try await GatewayHarness.run(ledgerFolder: folder.url) { harness in
            let key = try await harness.team("spent", budget: "0.005")
            try await Self.holdElsewhere(harness, team: "spent", amount: try Money(parsing: "0.001", .cny))
            let refused = try await harness.chat(key: key, maxTokens: 1000)
            #expect(refused.status == 402, "\(refused.body)")
            #expect(refused.header("Retry-After") == nil)
            #expect(try refused.error()["code"] as? String == "budget_exceeded")
            return try await harness.ledger.team(named: "spent").id
        }
        #expect(try await GatewayHarness.claimedThresholds(ledgerFolder: folder.url, teamID: spentID).contains(.exhausted))
    }

    @Test("the burst: 300 concurrent max_tokens 1000 streams with short outputs on $1 all complete with the SDK's default retries; spent ≤ $1")
    func burst() async throws {
        try await GatewayHarness.run { harness in
            _ = try await harness.admin.createTeam(name: "burst", budget: try Budget(limit: Money(parsing: "1", .usd), period: .monthly))
            let key = try await harness.admin.createKey(team: "burst", label: "tests").secret
            let result = try await PythonClient.runOffPool([
                "python3", PythonClient.scripts.appendingPathComponent("openai_burst.py").path,
                "--base-url", "\(harness.base)/v1", "--key", key, "--streams", "300", "--max-tokens", "1000",
            ])
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains(#""completed": 300"#), "\(result.stdout)")
            #expect(result.stdout.contains(#""errors": {}"#), "\(result.stdout)")
            print("burst (worst-case holds): \(result.stdout)")
            let team = try await harness.ledger.team(named: "burst")
            let entries = try await harness.entries(team: "burst")
            #expect(entries.count == 300)
            #expect(entries.allSatisfy { $0.outcome == "completed" })
            let spent = try await harness.ledger.spend(teamID: team.id, currency: .usd, in: team.budget.window(at: Date()))
            #expect(spent <= team.budget.limit)
            #expect(try await harness.ledger.reserved(teamID: team.id, currency: .usd) == .zero(.usd))
        }
    }
}
