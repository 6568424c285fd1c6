import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TollgateCore
import TollgateStorage

@Suite("POST /v1/messages: a metering proxy for the Anthropic Messages API")
struct MessagesEndpointTests {
    static let user = #"[{"role":"user","content":[{"type":"text","text":"Write a haiku about proxies.","cache_control":{"type":"ephemeral"}}]}]"#

    func send(
        _ harness: GatewayHarness,
        _ path: String = "/v1/messages",
        key: String?,
        json: String,
        headers: [(String, String)] = []
    ) async throws -> Exchange {
        var request = HTTPClientRequest(url: harness.base + path)
        request.method = .POST
        if let key { request.headers.add(name: "x-api-key", value: key) }
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Exchange(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
    }

    func run(_ answer: AnthropicUpstream.Answer, _ body: @Sendable (GatewayHarness, AnthropicUpstream) async throws -> Void) async throws {
        try await AnthropicUpstream.run(answer) { upstream in
            try await GatewayHarness.run(upstreamURL: upstream.url) { harness in try await body(harness, upstream) }
        }
    }

    /// The Anthropic error object of a refusal.
    static func anthropicError(_ exchange: Exchange) throws -> [String: Any] {
        let json = try exchange.json()
        #expect(json["type"] as? String == "error", "\(exchange.body)")
        return try #require(json["error"] as? [String: Any], "\(exchange.body)")
    }

    @Test(
        "every event reaches the client byte for byte and in order; the body and the Anthropic headers reach the upstream as sent; billing is the upstream's usage priced by hand"
    )
    func relaysByteForByte() async throws {
        let upstreamText = AnthropicStreams.text(AnthropicStreams.events)
        try await run(.events(upstreamText)) { harness, upstream in
            let body =
                #"{"model":"claude-sonnet-4.5", "max_tokens": 1024,"stream":true,"system":[{"type":"text","text":"Be brief."}],"metadata":{"user_id":"u-1"},"future_field":{"x":[1,2.50]},"messages":\#(Self.user)}"#
            let exchange = try await send(
                harness,
                key: harness.alphaKey,
                json: body,
                headers: [("anthropic-version", "2023-06-01"), ("anthropic-beta", "prompt-caching-2024-07-31")]
            )
            #expect(exchange.status == 200)
            #expect(exchange.header("content-type") == "text/event-stream")
            let received = try #require(upstream.requests.first)
            #expect(received.body == Data(body.utf8), "the client's bytes, unchanged")
            #expect(received.headers["x-api-key"] == GatewayHarness.upstreamKey)
            #expect(received.headers["anthropic-version"] == "2023-06-01")
            #expect(received.headers["anthropic-beta"] == "prompt-caching-2024-07-31")
            // Everything before message_delta as sent; message_delta with the receipt as its last member; then message_stop.
            let beforeDelta = AnthropicStreams.text(AnthropicStreams.events.dropLast(2))
            #expect(exchange.body.hasPrefix(beforeDelta))
            let delta = AnthropicStreams.events[AnthropicStreams.events.count - 2].1
            let rest = exchange.body.dropFirst(beforeDelta.count)
            #expect(rest.hasPrefix("event: message_delta\ndata: " + delta.dropLast() + #","tollgate":{"#))
            #expect(rest.hasSuffix("\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
            let entry = try #require(try await harness.entries(team: "alpha").first)
            #expect(
                entry.usage
                    == (try TokenUsage(inputTokens: 142, cachedInputTokens: 100, cacheWrite5mTokens: 10, cacheWrite1hTokens: 20, outputTokens: 42))
            )
            // 12 × $3 + 100 × $0.30 + 10 × $3.75 + 20 × $6 + 42 × $15 per MTok.
            #expect(entry.chargeUSD.nanos == 36_000 + 30_000 + 37_500 + 120_000 + 630_000)
            #expect(entry.tokenSource == .upstream)
            #expect((entry.localOutputTokens ?? 0) > 0)
            #expect(rest.contains(#""request_id":"\#(entry.requestID ?? "")""#))
        }
    }

    @Test("a non-streamed answer is the upstream's body with the receipt as its last member")
    func nonStreamed() async throws {
        let answer =
            #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4.5","content":[{"type":"text","text":"Hi."},{"type":"tool_use","id":"toolu_1","name":"lookup","input":{"q":"x"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":20,"cache_read_input_tokens":0,"cache_creation_input_tokens":8,"output_tokens":9}}"#
        try await run(.body(answer)) { harness, _ in
            let exchange = try await send(
                harness,
                key: harness.alphaKey,
                json: #"{"model":"claude-sonnet-4.5","max_tokens":64,"messages":\#(Self.user)}"#
            )
            #expect(exchange.status == 200)
            #expect(exchange.body.hasPrefix(String(answer.dropLast()) + #","tollgate":{"#))
            let entry = try #require(try await harness.entries(team: "alpha").first)
            // A plain cache_creation_input_tokens is the 5-minute cache.
            #expect(entry.usage == (try TokenUsage(inputTokens: 28, cacheWrite5mTokens: 8, outputTokens: 9)))
            #expect(entry.chargeUSD.nanos == 20 * 3_000 + 8 * 3_750 + 9 * 15_000)
            #expect(exchange.header("X-Tollgate-Cost") == entry.chargeCNY.description)
        }
    }

    @Test("an upstream 401 is the gateway's own key refused: 502 api_error, the upstream key never shown")
    func upstreamAuth() async throws {
        let body = #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key \#(GatewayHarness.upstreamKey)"}}"#
        try await run(.status(401, headers: [], body: body)) { harness, _ in
            let exchange = try await send(
                harness,
                key: harness.alphaKey,
                json: #"{"model":"claude-sonnet-4.5","max_tokens":64,"messages":\#(Self.user)}"#
            )
            #expect(exchange.status == 502)
            let error = try Self.anthropicError(exchange)
            #expect(error["type"] as? String == "api_error")
            #expect(error["code"] as? String == "upstream_auth_failed")
            #expect(!exchange.body.contains(GatewayHarness.upstreamKey))
            #expect(exchange.header("X-Tollgate-Request-Id") != nil)
        }
    }

    @Test("an upstream 529 overloaded passes through untouched (status, body, retry-after, request-id); nothing billed", arguments: [true, false])
    func overloadedPassesThrough(stream: Bool) async throws {
        let body = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
        try await run(.status(529, headers: [("retry-after", "3"), ("request-id", "req_up_1")], body: body)) { harness, _ in
            let exchange = try await send(
                harness,
                key: harness.alphaKey,
                json: #"{"model":"claude-sonnet-4.5","max_tokens":64,"stream":\#(stream),"messages":\#(Self.user)}"#
            )
            #expect(exchange.status == 529)
            #expect(exchange.body == body)
            #expect(exchange.header("retry-after") == "3")
            #expect(exchange.header("request-id") == "req_up_1")
            let entry = try #require(try await harness.entries(team: "alpha").first)
            #expect(entry.outcome == "upstream_refused")
            #expect(entry.chargeUSD.nanos == 0)
        }
    }

    @Test("a stream that drops mid-way: what arrived as it came, then an error event; what was delivered is billed")
    func droppedMidStream() async throws {
        try await run(.events(AnthropicStreams.text(AnthropicStreams.events.prefix(8)))) { harness, _ in
            let exchange = try await send(
                harness,
                key: harness.alphaKey,
                json: #"{"model":"claude-sonnet-4.5","max_tokens":64,"stream":true,"messages":\#(Self.user)}"#
            )
            #expect(exchange.status == 200)
            #expect(exchange.body.hasPrefix(AnthropicStreams.text(AnthropicStreams.events.prefix(8))))
            let tail = String(exchange.body.dropFirst(AnthropicStreams.text(AnthropicStreams.events.prefix(8)).count))
            #expect(tail.hasPrefix("event: error\ndata: {\"error\":{"), "\(tail)")
            #expect(tail.contains(#""type":"api_error""#))
            #expect(tail.contains(#""tollgate":{"#), "the receipt rides beside the error")
            let entry = try #require(try await harness.entries(team: "alpha").first)
            #expect(entry.outcome == "upstream_error")
            #expect((entry.localOutputTokens ?? 0) > 0)
            #expect(entry.usage.outputTokens == entry.localOutputTokens, "no message_delta came: Tollgate's own count is billed")
        }
    }

    /// A stream that would go on far past a small budget: `count` deltas of one kind.
    static func endless(_ kind: String, count: Int) -> [(String, String)] {
        let start: String
        let delta: (Int) -> String
        switch kind {
        case "thinking":
            start = #"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}"#
            delta = {
                #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"step \#($0) weighs the budget carefully. "}}"#
            }
        case "tool":
            start = #"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"write_file","input":{}}}"#
            delta = {
                #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"line \#($0) of a very long file, "}}"#
            }
        default:
            start = #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#
            delta = { #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"word \#($0) of an endless answer, "}}"# }
        }
        return [AnthropicStreams.events[0], ("content_block_start", start)] + (0..<count).map { ("content_block_delta", delta($0)) }
            + [
                ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
                ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9000}}"#),
                ("message_stop", #"{"type":"message_stop"}"#),
            ]
    }

    @Test(
        "a soft budget cuts a stream mid-way on text, on thinking and on tool input: whole upstream events up to the cut, then error, billed within the budget",
        arguments: ["text", "thinking", "tool"]
    )
    func cutMidStream(kind: String) async throws {
        let events = Self.endless(kind, count: 400)
        try await run(.events(AnthropicStreams.text(events))) { harness, _ in
            let key = try await harness.team("soft-\(kind)", budget: "0.002", policy: .soft)
            let exchange = try await send(
                harness,
                key: key,
                json: #"{"model":"claude-sonnet-4.5","max_tokens":8000,"stream":true,"messages":\#(Self.user)}"#
            )
            #expect(exchange.status == 200)
            let blocks = exchange.body.components(separatedBy: "\n\n").filter { !$0.isEmpty }
            let last = try #require(blocks.last)
            #expect(last.hasPrefix("event: error\ndata: "), "\(last)")
            #expect(last.contains(#""type":"billing_error""#) && last.contains(#""code":"budget_exceeded""#))
            let relayed = blocks.dropLast()
            #expect(relayed.count > 3 && relayed.count < events.count - 3, "cut part-way: \(relayed.count)")
            #expect(Array(relayed) == events.prefix(relayed.count).map { "event: \($0.0)\ndata: \($0.1)" }, "whole upstream events only")
            let entry = try #require(try await harness.entries(team: "soft-\(kind)").first)
            #expect(entry.outcome == "cut_off")
            #expect(entry.chargeCNY <= (try Money(parsing: "0.002", .cny)), "\(entry.chargeCNY)")
            #expect((entry.localOutputTokens ?? 0) > 50, "the \(kind) deltas were counted")
        }
    }

    @Test("a client that goes away mid-stream is billed for what it was sent, as client_disconnected")
    func clientGoesAway() async throws {
        let events = Self.endless("text", count: 200)
        try await run(.paced(events, interval: .milliseconds(10))) { harness, _ in
            var request = HTTPClientRequest(url: harness.base + "/v1/messages")
            request.method = .POST
            request.headers.add(name: "x-api-key", value: harness.alphaKey)
            request.body = .bytes(ByteBuffer(string: #"{"model":"claude-sonnet-4.5","max_tokens":4000,"stream":true,"messages":\#(Self.user)}"#))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            var received = 0
            for try await part in response.body {
                received += part.readableBytes
                if received > 2_000 { break }
            }
            var entries: [LedgerEntry] = []
            for _ in 0..<300 where entries.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
                entries = try await harness.entries(team: "alpha")
            }
            let entry = try #require(entries.first)
            #expect(entry.outcome == "client_disconnected")
            #expect(entry.usage.outputTokens > 0)
            #expect((entry.localOutputTokens ?? 0) < 200 * 8, "billed for what was sent, not the whole stream")
        }
    }

    @Test(
        "requests the Messages API refuses are refused in its shape before anything is held, billed or sent upstream",
        arguments: [
            (#"{"model":"claude-sonnet-4.5","messages":[{"role":"user","content":"hi"}]}"#, "max_tokens"),
            (#"{"model":"claude-sonnet-4.5","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}"#, "max_tokens"),
            (#"{"model":"claude-sonnet-4.5","max_tokens":5,"messages":[]}"#, "messages"),
            (#"{"max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#, "model"),
            (#"[1,2]"#, "JSON"),
        ]
    )
    func invalidRequests(body: String, mentions: String) async throws {
        try await run(.body("{}")) { harness, upstream in
            let exchange = try await send(harness, key: harness.alphaKey, json: body)
            #expect(exchange.status == 400)
            let error = try Self.anthropicError(exchange)
            #expect(error["type"] as? String == "invalid_request_error")
            #expect((error["message"] as? String)?.contains(mentions) == true, "\(exchange.body)")
            #expect(upstream.requests.isEmpty)
            #expect(try await harness.entries(team: "alpha").isEmpty)
        }
    }

    @Test("keys: x-api-key and Authorization: Bearer both work; none or a wrong one is 401 authentication_error")
    func authentication() async throws {
        try await run(.body(#"{"type":"message","content":[],"usage":{"input_tokens":1,"output_tokens":1}}"#)) { harness, _ in
            let body = #"{"model":"claude-sonnet-4.5","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#
            #expect(try await send(harness, key: harness.alphaKey, json: body).status == 200)
            #expect(try await send(harness, key: nil, json: body, headers: [("Authorization", "Bearer \(harness.alphaKey)")]).status == 200)
            for key in [nil, "tg_wrong"] {
                let refused = try await send(harness, key: key, json: body)
                #expect(refused.status == 401)
                #expect(try Self.anthropicError(refused)["type"] as? String == "authentication_error")
            }
        }
    }

    @Test("a clamped request's max_tokens is lowered in place; every other byte is the client's")
    func clampSplicesMaxTokens() async throws {
        try await run(.body(#"{"type":"message","content":[],"usage":{"input_tokens":1,"output_tokens":1}}"#)) { harness, upstream in
            let key = try await harness.team("clamped", budget: "0.01", policy: .clamp)
            let body = #"{"model":"claude-sonnet-4.5","max_tokens": 60000 ,"messages":[{"role":"user","content":"hi"}],"tools":[]}"#
            let exchange = try await send(harness, key: key, json: body)
            #expect(exchange.status == 200, "\(exchange.body)")
            let sent = String(decoding: try #require(upstream.requests.first).body, as: UTF8.self)
            let limit = try #require(sent.firstMatch(of: /"max_tokens": (\d+) ,/).map { Int($0.1)! })
            #expect(limit < 60000 && limit >= 16)
            #expect(sent == body.replacingOccurrences(of: "60000", with: String(limit)))
        }
    }

    @Test("count_tokens without an upstream endpoint is answered locally and marked as an estimate; nothing billed")
    func countTokensEstimate() async throws {
        try await run(.body("{}")) { harness, _ in
            let body =
                #"{"model":"claude-sonnet-4.5","system":"Be brief.","messages":[{"role":"user","content":"Write a haiku about proxies."}],"tools":[{"name":"t","description":"d","input_schema":{"type":"object"}}]}"#
            let exchange = try await send(harness, "/v1/messages/count_tokens", key: harness.alphaKey, json: body)
            #expect(exchange.status == 200, "\(exchange.body)")
            let json = try exchange.json()
            #expect((json["input_tokens"] as? Int ?? 0) > 346, "text, tool definition and the tool-use system prompt")
            #expect((json["tollgate"] as? [String: Any])?["estimate"] as? Bool == true)
            #expect(exchange.header("X-Tollgate-Token-Estimate") == "true")
            #expect(try await harness.entries(team: "alpha").isEmpty)
        }
    }

    @Test("count_tokens is relayed to an upstream that has it; its refusal of the gateway's key is 502 with the key scrubbed")
    func countTokensRelayed() async throws {
        let body = #"{"model":"claude-sonnet-4.5","messages":[{"role":"user","content":"hi"}]}"#
        try await AnthropicUpstream.run(.body("{}"), countTokens: .body(#"{"input_tokens":1234}"#)) { upstream in
            try await GatewayHarness.run(upstreamURL: upstream.url) { harness in
                let exchange = try await send(harness, "/v1/messages/count_tokens", key: harness.alphaKey, json: body)
                #expect(exchange.status == 200)
                #expect(exchange.body == #"{"input_tokens":1234}"#)
                #expect(exchange.header("X-Tollgate-Token-Estimate") == nil)
            }
        }
        let refusal = #"{"type":"error","error":{"type":"authentication_error","message":"bad key \#(GatewayHarness.upstreamKey)"}}"#
        try await AnthropicUpstream.run(.body("{}"), countTokens: .status(401, headers: [], body: refusal)) { upstream in
            try await GatewayHarness.run(upstreamURL: upstream.url) { harness in
                let exchange = try await send(harness, "/v1/messages/count_tokens", key: harness.alphaKey, json: body)
                #expect(exchange.status == 502)
                #expect(try Self.anthropicError(exchange)["code"] as? String == "upstream_auth_failed")
                #expect(!exchange.body.contains(GatewayHarness.upstreamKey))
            }
        }
    }

    @Test("an upstream that speaks only the relay WebSocket protocol can't carry Messages: a 400 that says what to configure")
    func webSocketUpstream() async throws {
        try await GatewayHarness.run { harness in
            let exchange = try await send(
                harness,
                key: harness.alphaKey,
                json: #"{"model":"claude-sonnet-4.5","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#
            )
            #expect(exchange.status == 400)
            #expect((try Self.anthropicError(exchange)["message"] as? String)?.contains("TOLLGATE_ANTHROPIC_UPSTREAM_URL") == true)
        }
    }
}
