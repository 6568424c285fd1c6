import Foundation
import Testing

/// The official OpenAI Python SDK (pip `openai`) against the gateway, changing only `base_url` and `api_key`.
@Suite(
    "Gateway with the OpenAI Python SDK",
    .enabled(if: PythonClient.openAIReady, "python3 with the openai package is required: pip install openai")
)
struct OpenAISDKTests {
    struct Output: Decodable {
        struct Usage: Decodable {
            let prompt_tokens: Int
            let completion_tokens: Int
        }
        struct Receipt: Decodable {
            let cost: String
            let request_id: String
        }
        struct Failure: Decodable {
            let status: Int
        }
        let text: String?
        let chunks: Int?
        let finish_reason: String?
        let usage: Usage?
        let tollgate: Receipt?
        let error: Failure?
    }

    static let script = PythonClient.scripts.appendingPathComponent("openai_sdk_flow.py").path

    func run(_ harness: GatewayHarness, key: String, _ extra: [String] = []) async throws -> (Int32, Output, String) {
        let result = try await PythonClient.runOffPool(["python3", Self.script, "--base-url", "\(harness.base)/v1", "--key", key] + extra)
        return (result.status, try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8)), result.stderr)
    }

    @Test("the SDK streams through the gateway, sees usage and the tollgate receipt, and the ledger matches", arguments: [true, false])
    func streams(stream: Bool) async throws {
        try await GatewayHarness.run { harness in
            let (status, output, stderr) = try await run(harness, key: harness.alphaKey, stream ? [] : ["--no-stream"])
            #expect(status == 0, "\(stderr)")
            #expect(output.text?.isEmpty == false)
            #expect(output.finish_reason == "stop")
            if stream { #expect((output.chunks ?? 0) > 2) }
            let entry = try #require(try await harness.entries(team: "alpha").first)
            #expect(output.usage?.completion_tokens == entry.usage.outputTokens)
            #expect(output.usage?.prompt_tokens == entry.usage.inputTokens)
            #expect(output.tollgate?.cost == entry.chargeCNY.decimalString)
            #expect(output.tollgate?.request_id == entry.requestID)
        }
    }

    @Test("the SDK surfaces refusals with their HTTP status: 401 for a bad key, 402 for an exhausted budget")
    func refusals() async throws {
        try await GatewayHarness.run { harness in
            let (badStatus, bad, _) = try await run(harness, key: "not-a-key")
            #expect(badStatus == 2)
            #expect(bad.error?.status == 401)
            let tiny = try await harness.team("tiny", budget: "0.01")
            let (budgetStatus, budget, _) = try await run(harness, key: tiny)
            #expect(budgetStatus == 2)
            #expect(budget.error?.status == 402)
        }
    }
}
