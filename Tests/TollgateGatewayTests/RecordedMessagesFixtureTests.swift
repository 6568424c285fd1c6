import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TollgateCore
import TollgateRelaySim
import TollgateTestSupport

/// Every recorded Anthropic Messages stream in `Tests/Fixtures/anthropic-messages` (from the
/// Anthropic Python SDK's test data, cited in its README), replayed by the relay simulator's
/// `/v1/messages` and reached through the gateway's `/v1/messages`, as `serve` reaches its built-in
/// simulator. For each fixture:
///
/// - **Bytes.** The client's body is the fixture file's bytes, event for event, with two
///   differences only: the final `message_delta`'s JSON gets `,"tollgate":{…}` inserted before its
///   last `}` (after any whitespace the API padded it with), and a file that ends without the
///   final blank line gets it (the replay completes the last event; see the fixtures' README).
/// - **Billing.** The entry's usage is the recording's: `input_tokens` plus the cache reads and
///   writes as the input, those as its parts, `output_tokens` from `message_delta`; where
///   `message_delta` repeats the input figures (`anthropic-thinking-refusal`), its cumulative
///   figures win field by field, which is what Anthropic documents for `message_delta.usage`. The
///   charge is that usage priced by hand at the shipped claude-sonnet-4.5 prices.
@Suite("Recorded Anthropic fixtures through /v1/messages")
struct RecordedMessagesFixtureTests {
    static let fixtures = RecordedReplay.names(in: RecordedStreams.messagesDirectory, streaming: true)

    @Test("the fixture folder holds the four recordings the README cites")
    func everyFixtureIsThere() {
        #expect(Self.fixtures == ["anthropic-text", "anthropic-thinking-refusal", "anthropic-tool-use", "anthropic-tool-use-max-tokens"])
    }

    @Test("relayed byte for byte but for the receipt, billed as the recording's usage priced by hand", arguments: fixtures)
    func relayedAndBilled(_ name: String) async throws {
        let simulator = RelaySimulatorConfiguration(timeToFirstToken: .zero, replayDirectory: RecordedStreams.messagesDirectory)
        try await GatewayHarness.run(simulator: simulator, simulatorOverSSE: true) { harness in
            let body =
                #"{"model":"claude-sonnet-4.5","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Replay it."}],"tollgate_sim":{"replay":"\#(name)"}}"#
            let exchange = try await Self.send(harness, json: body)
            #expect(exchange.status == 200, "\(name): \(exchange.body)")
            guard exchange.status == 200 else { return }

            let upstream = try Self.upstreamEvents(name)
            let deltaIndex = try #require(upstream.lastIndex { $0.hasPrefix("event: message_delta\n") }, "\(name) has a message_delta")
            let before = upstream[..<deltaIndex].joined()
            let after = upstream[(deltaIndex + 1)...].joined()
            #expect(exchange.body.hasPrefix(before), "\(name): every event before message_delta as recorded")
            #expect(exchange.body.hasSuffix(after), "\(name): every event after message_delta as recorded")
            guard exchange.body.count >= before.count + after.count else { return }
            let delta = String(exchange.body.dropFirst(before.count).dropLast(after.count))
            let (relayed, receipt) = Self.splitReceipt(delta)
            #expect(relayed == upstream[deltaIndex], "\(name): message_delta as recorded, plus the receipt:\n\(delta)\n\(upstream[deltaIndex])")
            let receiptObject = try #require(
                receipt.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any],
                "\(name): the receipt is a JSON object: \(receipt ?? "none")"
            )

            let entries = try await harness.entries(team: "alpha")
            #expect(entries.count == 1, "\(name): \(entries.count) entries")
            let entry = try #require(entries.first)
            #expect(entry.outcome == "completed", "\(name)")
            #expect(entry.tokenSource == .upstream, "\(name)")
            #expect(receiptObject["request_id"] as? String == entry.requestID, "\(name)")
            let recorded = try Self.recordedUsage(upstream)
            let expected = try TokenUsage(
                inputTokens: recorded.input + recorded.cacheRead + recorded.cacheWrite5m + recorded.cacheWrite1h,
                cachedInputTokens: recorded.cacheRead,
                cacheWrite5mTokens: recorded.cacheWrite5m,
                cacheWrite1hTokens: recorded.cacheWrite1h,
                outputTokens: recorded.output
            )
            #expect(entry.usage == expected, "\(name): billed \(entry.usage), recorded \(recorded)")
            // $3 input, $0.30 cache read, $3.75 5-minute write, $6 1-hour write, $15 output per MTok: nanos per token.
            let charge =
                Int64(recorded.input) * 3_000 + Int64(recorded.cacheRead) * 300 + Int64(recorded.cacheWrite5m) * 3_750
                + Int64(recorded.cacheWrite1h) * 6_000 + Int64(recorded.output) * 15_000
            #expect(entry.chargeUSD.nanos == charge, "\(name)")
        }
    }

    @Test(
        "the Anthropic SDK's stream helper over the tool-use recording: get_final_message() has the tool input parsed, billed as recorded",
        .enabled(if: PythonClient.anthropicReady, "python3 with the anthropic package is required: pip install anthropic")
    )
    func sdkStreamHelper() async throws {
        let simulator = RelaySimulatorConfiguration(timeToFirstToken: .zero, replayDirectory: RecordedStreams.messagesDirectory)
        try await GatewayHarness.run(simulator: simulator, simulatorOverSSE: true) { harness in
            let result = try await PythonClient.runOffPool([
                "python3", AnthropicSDKTests.script, "--base-url", harness.base, "--key", harness.alphaKey,
                "--scenario", "replay_stream", "--replay", "anthropic-tool-use",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let output = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
            #expect(output["ok"] as? Bool == true, "\(output)")
            #expect(output["blocks"] as? [String] == ["text", "tool_use"])
            #expect(output["stop_reason"] as? String == "tool_use")
            #expect(output["text"] as? String == "I'll check the current weather in Paris for you.")
            #expect(output["tool_names"] as? [String] == ["get_weather"])
            let inputs = try #require(output["tool_inputs"] as? [[String: Any]])
            #expect(inputs.count == 1 && inputs.first?["location"] as? String == "Paris", "\(inputs)")
            let usage = try #require(output["usage"] as? [String: Any])
            #expect(usage["input_tokens"] as? Int == 377 && usage["output_tokens"] as? Int == 65, "\(usage)")
            let entry = try #require(try await harness.entries(team: "alpha").first)
            #expect(entry.usage == (try TokenUsage(inputTokens: 377, outputTokens: 65)))
            #expect(entry.chargeUSD.nanos == 377 * 3_000 + 65 * 15_000)
        }
    }

    @Test("a Messages replay of a fixture that is not there is a 400 naming the ones that are")
    func unknownFixture() async throws {
        let simulator = RelaySimulatorConfiguration(timeToFirstToken: .zero, replayDirectory: RecordedStreams.messagesDirectory)
        try await GatewayHarness.run(simulator: simulator, simulatorOverSSE: true) { harness in
            let body =
                #"{"model":"claude-sonnet-4.5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi."}],"tollgate_sim":{"replay":"nope"}}"#
            let exchange = try await Self.send(harness, json: body)
            #expect(exchange.status == 400, "\(exchange.body)")
            #expect(exchange.body.contains("anthropic-tool-use"), "\(exchange.body)")
            let entries = try await harness.entries(team: "alpha")
            #expect(entries.allSatisfy { $0.chargeUSD.nanos == 0 }, "nothing billed: \(entries.map(\.outcome))")
        }
    }

    // MARK: What the upstream sent

    static func send(_ harness: GatewayHarness, json: String) async throws -> Exchange {
        var request = HTTPClientRequest(url: harness.base + "/v1/messages")
        request.method = .POST
        request.headers.add(name: "x-api-key", value: harness.alphaKey)
        request.headers.add(name: "anthropic-version", value: "2023-06-01")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Exchange(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
    }

    /// The fixture's events straight from the file (split at blank lines, independent of the
    /// simulator's splitting), each with its blank line; the last completed with one if the file lacks it.
    static func upstreamEvents(_ name: String) throws -> [String] {
        let url = URL(fileURLWithPath: RecordedStreams.messagesDirectory).appendingPathComponent("\(name).sse")
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        return text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { $0 + "\n\n" }
    }

    /// `event` without the `,"tollgate":{…}` member inserted before its JSON's last `}`, and that member's value.
    static func splitReceipt(_ event: String) -> (String, String?) {
        guard let range = event.range(of: #","tollgate":{"#), let closing = event.lastIndex(of: "}") else { return (event, nil) }
        let receipt = String(event[event.index(before: range.upperBound)..<closing])
        return (String(event[..<range.lowerBound]) + String(event[closing...]), receipt)
    }

    /// The recording's usage: `message_start`'s, then `message_delta`'s figures over it field by field.
    static func recordedUsage(_ events: [String]) throws -> (input: Int, output: Int, cacheRead: Int, cacheWrite5m: Int, cacheWrite1h: Int) {
        var usage: [String: Any] = [:]
        var split: [String: Any] = [:]
        for event in events {
            guard let data = event.split(separator: "\n").first(where: { $0.hasPrefix("data: ") }),
                let object = try JSONSerialization.jsonObject(with: Data(data.dropFirst(6).utf8)) as? [String: Any]
            else { continue }
            let fields = (object["message"] as? [String: Any])?["usage"] as? [String: Any] ?? object["usage"] as? [String: Any] ?? [:]
            usage.merge(fields) { $1 }
            if let creation = fields["cache_creation"] as? [String: Any] { split.merge(creation) { $1 } }
        }
        let written = usage["cache_creation_input_tokens"] as? Int ?? 0
        let hour = split["ephemeral_1h_input_tokens"] as? Int ?? 0
        return (
            usage["input_tokens"] as? Int ?? 0, usage["output_tokens"] as? Int ?? 0, usage["cache_read_input_tokens"] as? Int ?? 0,
            written - hour, hour
        )
    }
}
