import Foundation
import Testing

/// LangChain's `ChatOpenAI` (langchain-openai, run as a real client) through the gateway to the
/// relay simulator over OpenAI SSE: a call, a streamed call with usage, a `bind_tools` tool call
/// with its result sent back, and the tool call streamed. Every request is metered and settled.
@Suite(
    "Gateway with LangChain",
    .enabled(if: PythonClient.has("langchain_openai"), "python3 with langchain-openai is required: pip install langchain-openai")
)
struct LangChainTests {
    static let script = PythonClient.scripts.appendingPathComponent("langchain_flow.py").path

    @Test("ChatOpenAI: invoke, stream (with usage), bind_tools → tool call → ToolMessage → answer, and the tool call streamed")
    func chatOpenAI() async throws {
        try await GatewayHarness.run(simulatorOverSSE: true) { harness in
            let result = try await PythonClient.runOffPool(["python3", Self.script, "--base-url", "\(harness.base)/v1", "--key", harness.alphaKey])
            #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
            func part(_ name: String) -> [String: Any] { json[name] as? [String: Any] ?? [:] }

            let invoked = part("invoke")["content"] as? String ?? ""
            #expect(!invoked.isEmpty)
            let streamed = part("stream")
            #expect(streamed["content"] as? String == invoked, "the simulator is deterministic: the stream says what the call said")
            #expect((streamed["chunks"] as? Int ?? 0) > 1, "streamed in pieces")
            let streamedUsage = try #require(streamed["usage"] as? [String: Any], "stream_usage=True gets the usage chunk")

            for name in ["tool_call", "tool_call_stream"] {
                let calls = part(name)["tool_calls"] as? [[String: Any]] ?? []
                #expect(calls.count == 1, "\(name): \(calls)")
                #expect(calls.first?["name"] as? String == "get_weather", "\(name)")
                let args = calls.first?["args"] as? [String: Any] ?? [:]
                #expect(args["city"] is String && args["units"] is String, "\(name): LangChain parsed the arguments: \(args)")
            }
            #expect(!(part("tool_answer")["content"] as? String ?? "").isEmpty, "after the ToolMessage the model answers in text")
            #expect((part("tool_answer")["tool_calls"] as? [Any])?.isEmpty == true)

            let entries = try await harness.entries(team: "alpha")
            #expect(entries.count == 5, "\(entries.map(\.outcome))")
            #expect(entries.allSatisfy { $0.outcome == "completed" && $0.usage.outputTokens > 0 })
            let output = try #require(streamedUsage["output_tokens"] as? Int)
            #expect(entries.contains { $0.usage.outputTokens == output }, "the streamed call is billed what its usage says")
        }
    }
}
