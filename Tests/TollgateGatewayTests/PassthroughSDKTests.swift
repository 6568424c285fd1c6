import Foundation
import Testing

/// The official OpenAI Python SDK's modern flows through the gateway to an OpenAI-compatible
/// upstream: tools, the streaming helpers, `n`, image parts and the developer role all work,
/// because the gateway relays instead of translating.
@Suite(
    "Gateway pass-through with the OpenAI Python SDK",
    .enabled(if: PythonClient.openAIReady, "python3 with the openai package is required: pip install openai")
)
struct PassthroughSDKTests {
    static let script = PythonClient.scripts.appendingPathComponent("openai_passthrough.py").path

    static func body(_ choices: [String], finish: String = "stop") -> String {
        let list = choices.enumerated().map { index, content in
            #"{"index":\#(index),"message":{"role":"assistant","content":"\#(content)","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"\#(finish)"}"#
        }
        return
            #"{"id":"chatcmpl-BvQ3","object":"chat.completion","created":1733312100,"model":"gpt-4.1-2025-04-14","choices":[\#(list.joined(separator: ","))],"usage":{"prompt_tokens":30,"completion_tokens":\#(6 * choices.count),"total_tokens":\#(30 + 6 * choices.count)},"system_fingerprint":"fp_b42e5e7a47"}"#
    }

    /// An upstream that behaves like the real one for these flows.
    static func answer(_ json: [String: Any]) -> RecordedUpstream.Answer {
        let messages = json["messages"] as? [[String: Any]] ?? []
        if json["stream"] as? Bool == true { return .stream(PassthroughFixtures.toolCalls + [PassthroughFixtures.toolCallsUsage]) }
        if let n = json["n"] as? Int, n > 1 { return .body(body((0..<n).map { "Hi from choice \($0)." })) }
        if messages.last?["role"] as? String == "tool" { return .body(body(["It is 21 degrees in Paris."])) }
        if json["tools"] != nil { return .body(PassthroughFixtures.toolCallBody) }
        return .body(body(["A single transparent pixel."]))
    }

    func flow(_ name: String) async throws -> (json: [String: Any], requests: [[String: Any]], entries: Int) {
        let (stdout, sent, entries) = try await RecordedUpstream.run(Self.answer) { upstream in
            try await GatewayHarness.run(upstreamURL: upstream.url) { harness in
                let result = try await PythonClient.runOffPool([
                    "python3", Self.script, "--base-url", "\(harness.base)/v1", "--key", harness.alphaKey, "--flow", name,
                ])
                #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
                return (result.stdout, upstream.requests, try await harness.entries(team: "alpha").count)
            }
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any], "\(stdout)")
        let requests = sent.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        return (json, requests, entries)
    }

    @Test("an agent loop: a tool call, the tool's result sent back (developer role, assistant tool_calls, tool message), the answer")
    func agentLoop() async throws {
        let (json, requests, entries) = try await flow("agent")
        #expect(json["first_finish"] as? String == "tool_calls")
        #expect(json["tool"] as? String == "get_weather")
        #expect((json["arguments"] as? [String: Any])?["location"] as? String == "Paris, France")
        #expect(json["answer"] as? String == "It is 21 degrees in Paris.")
        #expect(json["receipt"] != nil)
        let history = try #require(requests.last?["messages"] as? [[String: Any]])
        #expect(history.map { $0["role"] as? String } == ["developer", "user", "assistant", "tool"])
        #expect((history[2]["tool_calls"] as? [Any])?.count == 1, "the assistant's tool call reached the upstream")
        #expect(entries == 2)
    }

    @Test("client.chat.completions.stream(...) assembles the streamed parallel tool calls")
    func streamHelper() async throws {
        let (json, _, entries) = try await flow("stream")
        #expect(json["tools"] as? [String] == ["get_weather", "get_weather"])
        #expect((json["arguments"] as? [[String: Any]])?.compactMap { $0["location"] as? String } == ["Paris, France", "Tokyo, Japan"])
        #expect(json["finish_reason"] as? String == "tool_calls")
        #expect(entries == 1)
    }

    @Test("n=2 gives both choices")
    func twoChoices() async throws {
        let (json, requests, _) = try await flow("n2")
        #expect(json["choices"] as? [String] == ["Hi from choice 0.", "Hi from choice 1."])
        #expect(requests.first?["n"] as? Int == 2)
    }

    @Test("image parts reach the upstream as sent")
    func imageParts() async throws {
        let (json, requests, _) = try await flow("image")
        #expect(json["answer"] as? String == "A single transparent pixel.")
        let content = try #require((requests.first?["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])
        #expect(content.map { $0["type"] as? String } == ["text", "image_url"])
    }
}
