import Foundation
import Testing
import TollgateRelaySim

/// A body with an escaped lone surrogate (`"\ud800"`), sent by a Python client as `json.dumps`
/// writes it: valid JSON that upstreams accept, so the gateway forwards it unchanged (but for the
/// usage splice on a stream) and counts its prompt, reading the lone half as U+FFFD.
@Suite("Lone surrogates in request bodies", .enabled(if: PythonClient.has("json"), "python3 is required"))
struct LoneSurrogateTests {
    static let script = PythonClient.scripts.appendingPathComponent("lone_surrogate_client.py").path
    static let answer =
        #"{"id":"chatcmpl-ls","object":"chat.completion","created":1733312100,"model":"gpt-4.1","choices":[{"index":0,"message":{"role":"assistant","content":"Seen."},"finish_reason":"stop"}],"usage":{"prompt_tokens":21,"completion_tokens":2,"total_tokens":23}}"#
    static let chunks = [
        #"{"id":"chatcmpl-ls","object":"chat.completion.chunk","created":1733312100,"model":"gpt-4.1","choices":[{"index":0,"delta":{"role":"assistant","content":"Seen."},"finish_reason":null}]}"#,
        #"{"id":"chatcmpl-ls","object":"chat.completion.chunk","created":1733312100,"model":"gpt-4.1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
        #"{"id":"chatcmpl-ls","object":"chat.completion.chunk","created":1733312100,"model":"gpt-4.1","choices":[],"usage":{"prompt_tokens":21,"completion_tokens":2,"total_tokens":23}}"#,
    ]

    func client(_ base: String, key: String, stream: Bool) async throws -> (status: Int, body: String, sent: String) {
        let result = try await PythonClient.runOffPool(
            ["python3", Self.script, "--base-url", "\(base)/v1", "--key", key] + (stream ? ["--stream"] : [])
        )
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        return (json["status"] as? Int ?? 0, json["body"] as? String ?? "", json["sent"] as? String ?? "")
    }

    @Test("not streamed: answered, the upstream gets the client's bytes exactly, the prompt is counted and billed")
    func body() async throws {
        try await RecordedUpstream.run({ _ in .body(Self.answer) }) { upstream in
            try await GatewayHarness.run(upstreamURL: upstream.url) { harness in
                let reply = try await client(harness.base, key: harness.alphaKey, stream: false)
                #expect(reply.status == 200, "\(reply.body)")
                #expect(reply.body.contains("Seen."))
                #expect(upstream.requests.map { String(decoding: $0, as: UTF8.self) } == [reply.sent], "forwarded unchanged")
                let entry = try #require(try await harness.entries(team: "alpha").first)
                #expect((entry.localInputTokens ?? 0) > 10, "the prompt was counted: \(String(describing: entry.localInputTokens))")
                #expect(entry.usage.inputTokens == 21 && entry.outcome == "completed")
            }
        }
    }

    @Test("streamed: the bytes go up with only include_usage spliced in, and the stream is relayed and billed")
    func stream() async throws {
        try await RecordedUpstream.run({ _ in .stream(Self.chunks) }) { upstream in
            try await GatewayHarness.run(upstreamURL: upstream.url) { harness in
                let reply = try await client(harness.base, key: harness.alphaKey, stream: true)
                #expect(reply.status == 200, "\(reply.body)")
                #expect(reply.body.contains(#""content":"Seen.""#) && reply.body.contains("data: [DONE]"))
                let forwarded = try #require(upstream.requests.first.map { String(decoding: $0, as: UTF8.self) })
                #expect(forwarded.contains(#"a broken \ud800 half, then \udc00 the other"#), "\(forwarded)")
                // The client already asked for usage, so forcing include_usage rewrites its `true` with `true`.
                #expect(forwarded == reply.sent)
                let entry = try #require(try await harness.entries(team: "alpha").first)
                #expect((entry.localInputTokens ?? 0) > 10)
                #expect(entry.usage.outputTokens == 2 && entry.outcome == "completed")
            }
        }
    }

    @Test("the built-in simulator, an upstream like any other, accepts the body too")
    func simulator() async throws {
        try await GatewayHarness.run(simulator: RelaySimulatorConfiguration(timeToFirstToken: .zero), simulatorOverSSE: true) { harness in
            let reply = try await client(harness.base, key: harness.alphaKey, stream: true)
            #expect(reply.status == 200, "\(reply.body)")
            #expect(reply.body.contains("data: [DONE]") && !reply.body.contains(#""error""#), "\(reply.body)")
            let entry = try #require(try await harness.entries(team: "alpha").first)
            #expect(entry.outcome == "completed" && entry.usage.outputTokens > 0)
        }
    }
}
