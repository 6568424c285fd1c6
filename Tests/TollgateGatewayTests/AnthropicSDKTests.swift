import Foundation
import Testing
import TollgateCore
import TollgateStorage

/// The official Anthropic Python SDK (pip `anthropic`) against the gateway's `/v1/messages`, over
/// the relay simulator's Messages API (as `serve` runs it with no upstream configured).
@Suite(
    "Anthropic Python SDK through /v1/messages",
    .enabled(if: PythonClient.anthropicReady, "python3 with the anthropic package is required: pip install anthropic")
)
struct AnthropicSDKTests {
    static let script = PythonClient.scripts.appendingPathComponent("anthropic_messages_flow.py").path

    func run(_ harness: GatewayHarness, _ scenario: String, key: String? = nil) async throws -> [String: Any] {
        let result = try await PythonClient.runOffPool([
            "python3", Self.script, "--base-url", harness.base, "--key", key ?? harness.alphaKey, "--scenario", scenario,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
    }

    func harness(_ body: @Sendable (GatewayHarness) async throws -> Void) async throws {
        try await GatewayHarness.run(simulatorOverSSE: true, body)
    }

    /// The one entry of a team, once it is written.
    static func entry(_ harness: GatewayHarness, team: String = "alpha") async throws -> LedgerEntry {
        try #require(try await harness.entries(team: team).last)
    }

    /// The cost of `entry`'s usage at the shipped claude-sonnet-4.5 prices, computed by hand.
    static func handPriced(_ usage: TokenUsage) -> Int64 {
        let uncached = Int64(usage.uncachedInputTokens) * 3_000
        let parts = Int64(usage.cachedInputTokens) * 300 + Int64(usage.cacheWrite5mTokens) * 3_750 + Int64(usage.cacheWrite1hTokens) * 6_000
        return uncached + parts + Int64(usage.outputTokens) * 15_000
    }

    @Test("messages.create: the upstream's answer, the receipt in the body, billed from the upstream's usage")
    func create() async throws {
        try await harness { harness in
            let output = try await run(harness, "create")
            #expect(output["ok"] as? Bool == true, "\(output)")
            #expect((output["text"] as? String)?.isEmpty == false)
            #expect(output["stop_reason"] as? String == "end_turn")
            let receipt = try #require(output["receipt"] as? [String: Any])
            let entry = try await Self.entry(harness)
            #expect(receipt["request_id"] as? String == entry.requestID)
            #expect(receipt["token_source"] as? String == "upstream")
            let usage = try #require(output["usage"] as? [String: Any])
            #expect(entry.usage.outputTokens == usage["output_tokens"] as? Int)
            #expect(entry.usage.inputTokens == usage["input_tokens"] as? Int)
            #expect(entry.chargeUSD.nanos == Self.handPriced(entry.usage))
        }
    }

    @Test("messages.create(stream=True): every event in Anthropic's order; the receipt rides in message_delta")
    func createStream() async throws {
        try await harness { harness in
            let output = try await run(harness, "create_stream")
            #expect(output["ok"] as? Bool == true, "\(output)")
            let events = try #require(output["events"] as? [String])
            #expect(events.first == "message_start")
            #expect(Array(events.suffix(2)) == ["message_delta", "message_stop"])
            #expect(events.contains("content_block_delta"))
            let receipt = try #require(output["receipt"] as? [String: Any])
            let entry = try await Self.entry(harness)
            #expect(receipt["request_id"] as? String == entry.requestID)
            #expect(entry.usage.outputTokens == output["output_tokens"] as? Int)
            #expect(entry.outcome == "completed")
        }
    }

    @Test("messages.stream helper: text_stream and get_final_message agree")
    func streamHelper() async throws {
        try await harness { harness in
            let output = try await run(harness, "stream_helper")
            #expect(output["ok"] as? Bool == true, "\(output)")
            #expect(output["text"] as? String == output["final_text"] as? String)
            #expect((output["text"] as? String)?.isEmpty == false)
            #expect(output["stop_reason"] as? String == "end_turn")
        }
    }

    @Test("extended thinking: the thinking block reaches the SDK and its tokens are billed as output")
    func thinking() async throws {
        try await harness { harness in
            let output = try await run(harness, "thinking")
            #expect(output["ok"] as? Bool == true, "\(output)")
            #expect(output["blocks"] as? [String] == ["thinking", "text"])
            #expect((output["thinking"] as? String)?.isEmpty == false)
            let entry = try await Self.entry(harness)
            #expect(entry.usage.outputTokens == (output["usage"] as? [String: Any])?["output_tokens"] as? Int)
            #expect((entry.localOutputTokens ?? 0) >= entry.usage.outputTokens - 2, "thinking counted locally too")
        }
    }

    @Test("a tool-use round trip: tool_use, then the tool_result answered in text; both billed")
    func toolRoundTrip() async throws {
        try await harness { harness in
            let output = try await run(harness, "tool_roundtrip")
            #expect(output["ok"] as? Bool == true, "\(output)")
            #expect(output["first_stop"] as? String == "tool_use")
            #expect(output["tool_name"] as? String == "search")
            #expect((output["tool_input"] as? [String: Any])?["query"] as? String == "simulated")
            #expect(output["second_stop"] as? String == "end_turn")
            #expect(try await harness.entries(team: "alpha").map(\.outcome) == ["completed", "completed"])
        }
    }

    @Test("prompt caching: cache reads and 5-minute / 1-hour writes are recorded and priced as Anthropic bills them")
    func cacheFields() async throws {
        try await harness { harness in
            let output = try await run(harness, "cache")
            #expect(output["ok"] as? Bool == true, "\(output)")
            let usage = try #require(output["usage"] as? [String: Any])
            #expect(usage["cache_read_input_tokens"] as? Int == 5)
            #expect(usage["cache_creation_input_tokens"] as? Int == 18)
            let entry = try await Self.entry(harness)
            #expect(entry.usage.cachedInputTokens == 5)
            #expect(entry.usage.cacheWrite5mTokens == 7)
            #expect(entry.usage.cacheWrite1hTokens == 11)
            #expect(entry.usage.inputTokens == (usage["input_tokens"] as? Int ?? 0) + 5 + 18)
            #expect(entry.chargeUSD.nanos == Self.handPriced(entry.usage))
            let receipt = try #require(output["receipt"] as? [String: Any])
            #expect(receipt["list_price_usd"] as? String == entry.chargeUSD.decimalString)
        }
    }

    @Test("count_tokens is relayed to an upstream that answers it")
    func countTokens() async throws {
        try await harness { harness in
            let output = try await run(harness, "count_tokens")
            #expect(output["ok"] as? Bool == true, "\(output)")
            #expect((output["input_tokens"] as? Int ?? 0) > 0)
            #expect((output["extra"] as? [String: Any])?["tollgate"] == nil, "the upstream's own count, not an estimate")
            #expect(try await harness.entries(team: "alpha").isEmpty, "counting bills nothing")
        }
    }

    @Test(
        "an upstream 429 is the SDK's RateLimitError with retry-after and the upstream's request-id; nothing billed",
        arguments: ["rate_limit", "rate_limit_stream"]
    )
    func rateLimited(scenario: String) async throws {
        try await harness { harness in
            let output = try await run(harness, scenario)
            #expect(output["error_class"] as? String == "RateLimitError", "\(output)")
            #expect(output["status"] as? Int == 429)
            #expect(output["retry_after"] as? String == "2")
            #expect((output["request_id"] as? String)?.hasPrefix("req_sim") == true)
            let entry = try await Self.entry(harness)
            #expect(entry.outcome == "upstream_refused")
            #expect(entry.chargeUSD.nanos == 0)
        }
    }

    @Test("a bad team key is the SDK's AuthenticationError")
    func badKey() async throws {
        try await harness { harness in
            let output = try await run(harness, "create", key: "tg_not_a_real_key")
            #expect(output["error_class"] as? String == "AuthenticationError", "\(output)")
            #expect(output["status"] as? Int == 401)
            #expect(((output["body"] as? [String: Any])?["error"] as? [String: Any])?["type"] as? String == "authentication_error")
        }
    }

    @Test("a budget refusal is 402 billing_error: the SDK's PaymentRequiredError, not retried")
    func budgetRefusal() async throws {
        try await harness { harness in
            let key = try await harness.team("broke", budget: "0.0000001")
            let output = try await run(harness, "create", key: key)
            #expect(output["error_class"] as? String == "PaymentRequiredError", "\(output)")
            #expect(output["status"] as? Int == 402)
            let error = try #require((output["body"] as? [String: Any])?["error"] as? [String: Any])
            #expect(error["type"] as? String == "billing_error")
            #expect(error["code"] as? String == "budget_exceeded")
            #expect(try await harness.entries(team: "broke").isEmpty)
        }
    }

    @Test("a soft budget cut mid-stream is an error event the SDK raises, after what was delivered; billed within the budget")
    func cutMidStream() async throws {
        try await harness { harness in
            let key = try await harness.team("soft", budget: "0.0002", policy: .soft)
            let output = try await run(harness, "budget_stream", key: key)
            #expect(output["ok"] as? Bool == false, "\(output)")
            let error = try #require((output["body"] as? [String: Any])?["error"] as? [String: Any], "\(output)")
            #expect(error["type"] as? String == "billing_error")
            #expect(error["code"] as? String == "budget_exceeded")
            let entry = try await Self.entry(harness, team: "soft")
            #expect(entry.outcome == "cut_off")
            #expect(entry.chargeCNY <= (try Money(parsing: "0.0002", .cny)), "\(entry.chargeCNY)")
            #expect(entry.usage.outputTokens > 0)
        }
    }
}
