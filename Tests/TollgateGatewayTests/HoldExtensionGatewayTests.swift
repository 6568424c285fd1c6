import Foundation
import Testing
import TollgateCore
import TollgateDefaults
import TollgateRelaySim

/// A finish at `max_tokens` is `finish_reason: "length"`, never a budget event — also when the
/// upstream overshoots `max_tokens` by a few tokens or the local count drifts from the upstream's.
@Suite(
    "No false cutoffs through the gateway",
    .enabled(if: PythonClient.webSocketReady, "python3 with the websocket-client module is required: pip install websocket-client")
)
struct HoldExtensionGatewayTests {
    static let models = (try? PricingTable.shipped().catalog.ids.map(\.rawValue)) ?? []
    static let script = PythonClient.scripts.appendingPathComponent("seed_ws_flow.py").path

    @Test(
        "every priced model, max_tokens 16 and 64, reached exactly or overshot: SSE, JSON and WebSocket complete without an error",
        arguments: [0, 5]
    )
    func noFalseCutoff(overshoot: Int) async throws {
        #expect(!Self.models.isEmpty)
        try await GatewayHarness.run(simulator: .init(outputTokens: 400, overshoot: overshoot)) { harness in
            let key = try await harness.team("roomy", budget: "1000000")
            for model in Self.models {
                for maxTokens in [16, 64] {
                    let label = "\(model) max_tokens \(maxTokens) overshoot \(overshoot)"
                    let sse = try await harness.chat(key: key, model: model, stream: true, includeUsage: true, maxTokens: maxTokens)
                    #expect(sse.status == 200, "\(label): \(sse.body)")
                    #expect(!sse.events.contains { $0.contains(#""error""#) }, "\(label): \(sse.body)")
                    #expect(sse.events.contains { $0.contains(#""finish_reason":"length""#) }, "\(label): \(sse.body)")
                    #expect(sse.events.last == "[DONE]")

                    let json = try await harness.chat(key: key, model: model, maxTokens: maxTokens)
                    #expect(json.status == 200, "\(label): \(json.body)")
                    #expect(json.header("X-Tollgate-Cutoff") == nil, "\(label)")
                    let choice = (try json.json()["choices"] as? [[String: Any]])?.first
                    #expect(choice?["finish_reason"] as? String == "length", "\(label): \(json.body)")

                    let ws = try await PythonClient.runOffPool([
                        "python3", Self.script, "--url", "ws://127.0.0.1:\(harness.port)/v1/ws/stream", "--key", key,
                        "--model", model, "--max-tokens", String(maxTokens),
                    ])
                    #expect(ws.status == 0, "\(label): \(ws.stdout) \(ws.stderr)")
                    #expect(ws.stdout.contains(#""finish_reason": "length""#), "\(label): \(ws.stdout)")
                    #expect(!ws.stdout.contains("budget_exceeded"), "\(label): \(ws.stdout)")
                }
            }
            let entries = try await harness.entries(team: "roomy")
            #expect(entries.count == Self.models.count * 2 * 3)
            #expect(entries.allSatisfy { $0.outcome == "completed" }, "\(entries.map(\.outcome))")
            #expect(try await harness.ledger.reserved(teamID: try await harness.ledger.team(named: "roomy").id, currency: .cny) == .zero(.cny))
        }
    }
}
