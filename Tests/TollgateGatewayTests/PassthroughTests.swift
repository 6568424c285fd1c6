import Foundation
import Testing
import TollgateCore

/// `/v1/chat/completions` as a metering proxy: against an OpenAI-compatible upstream that sends
/// exact payloads, the client's `data:` lines are the upstream's bytes, the upstream receives the
/// client's bytes, and billing counts every kind of output.
@Suite("Gateway pass-through to an OpenAI-compatible upstream")
struct PassthroughTests {
    static let user = #"[{"role":"user","content":"What's the weather in Paris and Tokyo?"}]"#

    /// Runs a gateway whose upstream answers every request with `answer`.
    func run<T: Sendable>(
        _ answer: @escaping @Sendable ([String: Any]) -> RecordedUpstream.Answer,
        _ body: @Sendable (GatewayHarness, RecordedUpstream) async throws -> T
    ) async throws -> T {
        try await RecordedUpstream.run(answer) { upstream in
            try await GatewayHarness.run(upstreamURL: upstream.url) { harness in try await body(harness, upstream) }
        }
    }

    @Test(
        "streamed tool calls reach the client byte for byte; the usage chunk carries the receipt; upstream usage is billed, the local count beside it"
    )
    func toolCallsByteForByte() async throws {
        try await run({ _ in .stream(PassthroughFixtures.toolCalls + [PassthroughFixtures.toolCallsUsage]) }) { harness, upstream in
            let body =
                #"{"model":"gpt-4.1","stream":true,"stream_options":{"include_usage":true},"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}],"messages":\#(Self.user)}"#
            let exchange = try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: body)
            #expect(exchange.status == 200, "\(exchange.body)")
            let events = exchange.events
            #expect(events.last == "[DONE]")
            #expect(Array(events.prefix(PassthroughFixtures.toolCalls.count)) == PassthroughFixtures.toolCalls)
            let usageLine = try #require(events.dropLast().last)
            #expect(usageLine.hasPrefix(String(PassthroughFixtures.toolCallsUsage.dropLast()) + #","tollgate":{"#))
            #expect(events.count == PassthroughFixtures.toolCalls.count + 2)
            let entry = try #require(try await harness.entries(team: "alpha").first)
            #expect(entry.usage.outputTokens == 51)
            #expect(entry.usage.inputTokens == 82)
            #expect((entry.localOutputTokens ?? 0) > 10, "tool names and arguments are counted locally too")
            #expect(usageLine.contains(#""request_id":"\#(entry.requestID ?? "")""#))
            // The upstream got the client's bytes: include_usage was already there, so nothing changed.
            #expect(upstream.requests.first == Data(body.utf8))
        }
    }

    @Test("without upstream usage, tool-call arguments and reasoning are billed on Tollgate's count; the usage chunk is Tollgate's own")
    func billedWithoutUsage() async throws {
        let reasoning =
            PassthroughFixtures.reasoning.dropLast() + [
                PassthroughFixtures.reasoning.last!.replacingOccurrences(
                    of:
                        #","usage":{"prompt_tokens":21,"completion_tokens":40,"total_tokens":61,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":31},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":21}"#,
                    with: ""
                )
            ]
        for payloads in [PassthroughFixtures.toolCalls, Array(reasoning)] {
            try await run({ _ in .stream(payloads) }) { harness, _ in
                let body = #"{"model":"deepseek-v3.2","stream":true,"stream_options":{"include_usage":true},"messages":\#(Self.user)}"#
                let exchange = try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: body)
                let events = exchange.events
                #expect(Array(events.prefix(payloads.count)) == payloads)
                let entry = try #require(try await harness.entries(team: "alpha").first)
                #expect(entry.usage.outputTokens > 10, "\(entry.usage)")
                #expect(entry.usage.outputTokens == entry.localOutputTokens)
                let usageLine = try #require(events.dropLast().last)
                let usage = try #require(try JSONSerialization.jsonObject(with: Data(usageLine.utf8)) as? [String: Any])
                #expect((usage["usage"] as? [String: Any])?["completion_tokens"] as? Int == entry.usage.outputTokens)
                #expect((usage["id"] as? String) == "chatcmpl-" + (entry.requestID ?? ""))
            }
        }
    }

    @Test("reasoning with usage on the last content chunk: relayed as is, upstream usage billed (reasoning included)")
    func reasoningWithUsage() async throws {
        try await run({ _ in .stream(PassthroughFixtures.reasoning) }) { harness, upstream in
            let body = #"{"model":"deepseek-v3.2","stream":true,"temperature":0.7,"top_p":1e-1,"messages":\#(Self.user)}"#
            let exchange = try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: body)
            #expect(Array(exchange.events.dropLast()) == PassthroughFixtures.reasoning, "the client didn't ask for usage, so no chunk is added")
            let entry = try #require(try await harness.entries(team: "alpha").first)
            #expect(entry.usage.outputTokens == 40)
            // Only stream_options was added; 0.7 and 1e-1 keep their text.
            let sent = String(decoding: try #require(upstream.requests.first), as: UTF8.self)
            #expect(sent == String(body.dropLast()) + #","stream_options":{"include_usage":true}}"#)
        }
    }

    @Test("n: 2 relays both choices and a refusal; the hold covers both choices")
    func twoChoices() async throws {
        try await run({ _ in .stream(PassthroughFixtures.twoChoices) }) { harness, _ in
            let body = #"{"model":"gpt-4.1","stream":true,"n":2,"max_tokens":100,"logprobs":true,"messages":\#(Self.user)}"#
            let exchange = try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: body)
            #expect(Array(exchange.events.dropLast()) == PassthroughFixtures.twoChoices)
            let entry = try #require(try await harness.entries(team: "alpha").first)
            #expect((entry.localOutputTokens ?? 0) >= 10, "both choices, the refusal included")
        }
    }

    @Test("n: 64 on a budget of about $0.004 is refused (reject) or held for 64 choices (clamp), never overspent")
    func manyChoicesHoldForAll() async throws {
        try await run({ json in
            let n = json["n"] as? Int ?? 1
            let limit = (json["max_tokens"] as? Int) ?? 1000
            // Every choice writes up to its limit, and usage says so.
            let choices = (0..<n).map {
                #"{"index":\#($0),"message":{"role":"assistant","content":"\#(String(repeating: "word ", count: limit))"},"finish_reason":"length"}"#
            }
            return .body(
                #"{"id":"chatcmpl-n","object":"chat.completion","created":1,"model":"gpt-4.1","choices":[\#(choices.joined(separator: ","))],"usage":{"prompt_tokens":20,"completion_tokens":\#(n * limit),"total_tokens":\#(n * limit + 20)}}"#
            )
        }) { harness, upstream in
            let rejectKey = try await harness.team("reject64", budget: "0.03", policy: .reject)
            let body = #"{"model":"gpt-4.1","n":64,"max_tokens":200,"messages":\#(Self.user)}"#
            let refused = try await harness.send(.POST, "/v1/chat/completions", key: rejectKey, json: body)
            #expect(refused.status == 402, "\(refused.body)")
            #expect(upstream.requests.isEmpty)
            let clampKey = try await harness.team("clamp64", budget: "0.03", policy: .clamp)
            let clamped = try await harness.send(.POST, "/v1/chat/completions", key: clampKey, json: body)
            if clamped.status == 200 {
                let last = try #require(upstream.requests.last)
                let sent = try #require(try JSONSerialization.jsonObject(with: last) as? [String: Any])
                #expect((sent["max_tokens"] as? Int ?? 200) < 200, "the clamp is written per choice")
                let entry = try #require(try await harness.entries(team: "clamp64").first)
                #expect(entry.chargeCNY <= (try Money(parsing: "0.03", .cny)), "\(entry.chargeCNY)")
            } else {
                #expect(clamped.status == 402)
            }
        }
    }

    @Test("a non-streamed answer passes through with the receipt as its last member; the body went upstream unchanged")
    func nonStreamedBody() async throws {
        try await run({ _ in .body(PassthroughFixtures.toolCallBody) }) { harness, upstream in
            let body =
                #"{"model":"gpt-4.1", "messages":[{"role":"developer","content":"Use tools."},{"role":"user","content":[{"type":"text","text":"Weather in Paris?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},{"role":"tool","tool_call_id":"call_1","content":"sunny"}], "temperature": 0.70, "x_custom": {"keep": [1, 2.50]}}"#
            let exchange = try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: body)
            #expect(exchange.status == 200, "\(exchange.body)")
            #expect(upstream.requests.first == Data(body.utf8), "nothing had to change, so the upstream got the client's bytes")
            let upstreamObject = PassthroughFixtures.toolCallBody.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(exchange.body.hasPrefix(String(upstreamObject.dropLast()) + #","tollgate":{"#))
            let entry = try #require(try await harness.entries(team: "alpha").first)
            #expect(entry.usage.outputTokens == 18)
            #expect(entry.usage.cachedInputTokens == 64)
            #expect(exchange.header("X-Tollgate-Cost") == entry.chargeCNY.description)
        }
    }

    @Test("a soft team streaming endless tool-call arguments is cut after the last whole line that fits, within its budget")
    func softCutOnToolArguments() async throws {
        try await run({ _ in .stream(PassthroughFixtures.endlessArguments(chunks: 400)) }) { harness, _ in
            let key = try await harness.team("soft-tools", budget: "0.002", policy: .soft)
            let body = #"{"model":"gpt-4.1","stream":true,"messages":\#(Self.user)}"#
            let exchange = try await harness.send(.POST, "/v1/chat/completions", key: key, json: body)
            let events = exchange.events
            #expect(events.last == "[DONE]")
            let error = try #require(events.dropLast().last)
            #expect(error.contains(#""code":"budget_exceeded""#))
            let relayed = events.dropLast(2)
            #expect(relayed.count < 400)
            #expect(Array(relayed) == Array(PassthroughFixtures.endlessArguments(chunks: 400).prefix(relayed.count)), "whole upstream lines only")
            let entry = try #require(try await harness.entries(team: "soft-tools").first)
            #expect(entry.outcome == "cut_off")
            #expect(entry.chargeCNY <= (try Money(parsing: "0.002", .cny)), "\(entry.chargeCNY)")
        }
    }

    @Test(
        "an upstream that drops mid-stream or sends garbage: what arrived is relayed as it came, then an upstream error line; what was delivered is billed"
    )
    func droppedAndGarbage() async throws {
        let arrived = Array(PassthroughFixtures.toolCalls.prefix(3))
        for (answer, code) in [
            (RecordedUpstream.Answer.dropped(arrived), "upstream_closed_before_done"),
            (.stream(arrived + ["<html>502 Bad Gateway</html>"]), "protocol_violation"),
        ] {
            try await run({ _ in answer }) { harness, _ in
                let body = #"{"model":"gpt-4.1","stream":true,"messages":\#(Self.user)}"#
                let exchange = try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: body)
                let events = exchange.events
                #expect(Array(events.prefix(arrived.count)) == arrived)
                #expect(events.last == "[DONE]")
                let error = try #require(events.dropLast().last)
                #expect(error.contains(#""error""#) && error.contains(code), "\(error)")
                let entry = try #require(try await harness.entries(team: "alpha").first)
                #expect(entry.outcome == "upstream_error")
                #expect(entry.usage.outputTokens > 0, "the tool-call name and arguments delivered are billed")
            }
        }
    }

    @Test("a relay WebSocket upstream refuses what its protocol can't carry with a 400, and still serves text with a developer message")
    func webSocketUpstreamLimits() async throws {
        try await GatewayHarness.run { harness in
            let cases = [
                (#""tools":[{"type":"function","function":{"name":"f"}}],"messages":\#(Self.user)"#, "'tools'"),
                (#""n":2,"messages":\#(Self.user)"#, "n > 1"),
                (#""messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]"#, "'image_url' content part"),
                (#""messages":[{"role":"tool","tool_call_id":"c","content":"x"}]"#, "a 'tool' message"),
            ]
            for (fields, says) in cases {
                let refused = try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: #"{"model":"gpt-4.1",\#(fields)}"#)
                #expect(refused.status == 400, "\(fields) → \(refused.body)")
                #expect(refused.errorMessage.contains(says), "\(refused.errorMessage)")
            }
            #expect(try await harness.entries(team: "alpha").isEmpty)
            let text =
                #"{"model":"gpt-4.1","messages":[{"role":"developer","content":"Be terse."},{"role":"user","content":[{"type":"text","text":"Hi"}]}]}"#
            let answered = try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: text)
            #expect(answered.status == 200, "\(answered.body)")
        }
    }
}
