import Foundation
import Testing

/// The same field rules on `POST /v1/chat/completions` and on the relay WebSocket: each bad field
/// is refused with `invalid_request` saying what to send, before admission (nothing billed).
@Suite("Gateway request rules on HTTP and WebSocket")
struct RequestRulesTests {
    static let user = #"[{"role":"user","content":"hi"}]"#

    /// A bad field (as JSON members beside `model` and `messages`) and what the refusal must say.
    static let cases: [(fields: String, messages: String, says: String)] = [
        ("", "[]", "'messages' is empty"),
        (#""max_tokens":0"#, user, "max_tokens must be at least 1"),
        (#""max_tokens":-1"#, user, "max_tokens must be at least 1"),
        (#""max_tokens":1.5"#, user, "max_tokens' is invalid: it must be a whole number of tokens"),
        (#""max_completion_tokens":1.5"#, user, "max_completion_tokens must be a whole number of tokens"),
        (#""max_completion_tokens":1e30"#, user, "max_completion_tokens must be a whole number of tokens"),
        (#""max_completion_tokens":"100""#, user, "max_completion_tokens must be a whole number of tokens"),
        (#""max_completion_tokens":0"#, user, "max_completion_tokens must be at least 1"),
    ]

    @Test("HTTP: 400 invalid_request naming the field, nothing billed", arguments: cases.indices)
    func http(index: Int) async throws {
        let bad = Self.cases[index]
        try await GatewayHarness.run { harness in
            let members = [#""model":"gpt-4.1""#, #""messages":\#(bad.messages)"#] + (bad.fields.isEmpty ? [] : [bad.fields])
            for stream in ["false", "true"] {
                let body = "{" + (members + [#""stream":\#(stream)"#]).joined(separator: ",") + "}"
                let exchange = try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: body)
                #expect(exchange.status == 400, "\(body) → \(exchange.body)")
                #expect(try exchange.error()["code"] as? String == "invalid_request")
                #expect(exchange.errorMessage.contains(bad.says), "\(exchange.errorMessage)")
            }
            #expect(try await harness.entries(team: "alpha").isEmpty)
        }
    }

    @Test("HTTP: a valid max_completion_tokens bounds the hold like max_tokens")
    func maxCompletionTokensBounds() async throws {
        try await GatewayHarness.run { harness in
            // Two fresh teams with the same budget: the same bound in either field holds the same amount.
            var remaining: [String] = []
            for field in ["max_tokens", "max_completion_tokens"] {
                let key = try await harness.team("bound-" + field.replacingOccurrences(of: "_", with: "-"), budget: "10", policy: .reject)
                let body = #"{"model":"gpt-4.1","\#(field)":8,"messages":\#(Self.user)}"#
                let exchange = try await harness.send(.POST, "/v1/chat/completions", key: key, json: body)
                #expect(exchange.status == 200, "\(exchange.body)")
                remaining.append(try #require(exchange.header("X-Tollgate-Remaining-Budget")))
            }
            #expect(remaining[0] == remaining[1])
            let unset = #"{"model":"gpt-4.1","max_completion_tokens":null,"messages":\#(Self.user)}"#
            #expect(try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: unset).status == 200)
        }
    }

    @Test("WebSocket: an invalid_request error event naming the field, nothing billed", arguments: cases.indices)
    func webSocket(index: Int) async throws {
        guard PythonClient.webSocketReady else { return }
        let bad = Self.cases[index]
        try await GatewayHarness.run { harness in
            let config = "{" + bad.fields + "}"
            var shapes = [#"[{"type":"chat.completion","model":"gpt-4.1","messages":\#(bad.messages),"config":\#(config)}]"#]
            if bad.messages != "[]" {
                shapes.append(#"[{"type":"session.start","model":"gpt-4.1","config":\#(config)},{"type":"chat.message","content":"hi"}]"#)
            }
            for frames in shapes {
                let (status, output, stderr) = try await RelayWebSocketEndpointTests().flow(harness, key: harness.alphaKey, ["--frames", frames])
                #expect(status == 2, "\(frames) → \(stderr)")
                let error = try #require(output.error)
                #expect(error.code == "invalid_request")
                #expect(error.message.contains(bad.says), "\(error.message)")
                #expect(!output.events.contains("session_established"))
            }
            #expect(try await harness.entries(team: "alpha").isEmpty)
        }
    }
}
