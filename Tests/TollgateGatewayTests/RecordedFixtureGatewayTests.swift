import Foundation
import Testing
import TollgateCore
import TollgateRelaySim
import TollgateTestSupport

/// Every recorded answer in `Tests/Fixtures/openai-chat` (real OpenAI and DeepSeek streams and
/// bodies, cited in its README), replayed by the relay simulator and reached through the gateway
/// over OpenAI SSE, as `serve` reaches its built-in simulator. For each fixture, streaming and (where
/// a `.json` exists) not, with and without upstream usage, and with and without the client asking
/// for usage:
///
/// - **Bytes.** The client's `data:` payloads are the upstream's, in order, byte for byte (read
///   from the fixture file; without usage, the simulator's documented no-usage variant of it). The
///   gateway may differ only in: (1) the upstream's usage-only chunk (`"choices":[]`) reaches a
///   client that asked for usage with `,"tollgate":{…}` inserted before its last `}`, and is left
///   out for one that did not; (2) when the upstream sent no usage-only chunk and the client asked
///   for usage, one chunk of Tollgate's own (`"choices":[]`, the billed usage, the receipt) comes
///   just before `[DONE]`; (3) a non-streamed body gets the receipt as its last member. A usage
///   riding on a chunk with choices (DeepSeek's form) is content: relayed as it came to a client
///   that did not ask for usage, and with the receipt (and no chunk of Tollgate's own) to one that did.
/// - **Billing.** With upstream usage, the entry's output tokens are the fixture's
///   `completion_tokens` (and its local count is recorded beside them). Without, Tollgate's own
///   count covers every output kind: it is at least the count of the non-`content` output alone
///   (reasoning, refusal, tool-call names and arguments, transcript), so none of it is billed as 0,
///   and, for every fixture without audio, within 15 % (at least 6 tokens) of the recorded
///   `completion_tokens` (tool calls add their measured format tokens, `OutputCounters`). Audio is
///   the exception, stated: the stream shows a transcript, not the audio tokens spoken nor the
///   model's own text tokens (`openai-audio`: transcript 13 tokens, recorded 23 text + 74 audio),
///   so without upstream usage audio output is under-billed; only the transcript is required.
@Suite("Recorded fixtures through the gateway")
struct RecordedFixtureGatewayTests {
    struct Fixture: Sendable, CustomStringConvertible {
        let name: String
        let streaming: Bool
        var description: String { "\(name) \(streaming ? "streamed" : "body")" }
        /// Models in the shipped pricing: DeepSeek's tokenizer for DeepSeek's recordings, o200k otherwise.
        var model: String { name.hasPrefix("deepseek") ? "deepseek-v3.2" : "gpt-4.1" }
        /// `n` as recorded: the hold must cover every choice the fixture carries.
        var choices: Int { name == "openai-n3" ? 3 : 1 }
    }

    static let fixtures: [Fixture] =
        RecordedReplay.names(in: RecordedStreams.directory, streaming: true).map { Fixture(name: $0, streaming: true) }
        + RecordedReplay.names(in: RecordedStreams.directory, streaming: false).map { Fixture(name: $0, streaming: false) }

    @Test("the fixture folder holds every kind the issue names, streamed and not")
    func everyKindIsThere() {
        let names = Set(Self.fixtures.map(\.description))
        for expected in [
            "openai-tool-call streamed", "openai-parallel-tool-calls streamed", "openai-refusal streamed", "openai-n3 streamed",
            "openai-logprobs streamed", "openai-audio-transcript streamed", "deepseek-reasoning streamed",
            "deepseek-reasoning-tool-call streamed", "openai-tool-call body", "openai-parallel-tool-calls body", "openai-audio body",
        ] {
            #expect(names.contains(expected), "missing \(expected) in \(RecordedStreams.directory)")
        }
    }

    @Test("relayed byte for byte and billed right, with and without upstream usage", arguments: fixtures)
    func relayedAndBilled(_ fixture: Fixture) async throws {
        let simulator = RelaySimulatorConfiguration(timeToFirstToken: .zero, replayDirectory: RecordedStreams.directory)
        try await GatewayHarness.run(simulator: simulator, simulatorOverSSE: true) { harness in
            let clientUsage = fixture.streaming ? [true, false] : [false]
            for upstreamUsage in [true, false] {
                for asks in clientUsage {
                    let variant = "\(fixture) upstream usage \(upstreamUsage ? "on" : "off"), client \(asks ? "asks" : "does not ask") for usage"
                    let team = "t\(upstreamUsage ? 1 : 0)\(asks ? 1 : 0)"
                    let key = try await harness.team(team, budget: "10")
                    try await check(fixture, harness: harness, key: key, team: team, upstreamUsage: upstreamUsage, clientAsks: asks, variant: variant)
                }
            }
        }
    }

    private func check(
        _ fixture: Fixture,
        harness: GatewayHarness,
        key: String,
        team: String,
        upstreamUsage: Bool,
        clientAsks: Bool,
        variant: String
    ) async throws {
        var fields = [
            #""model":"\#(fixture.model)""#, #""messages":[{"role":"user","content":"Replay it."}]"#, #""stream":\#(fixture.streaming)"#,
            #""tollgate_sim":{"replay":"\#(fixture.name)"\#(upstreamUsage ? "" : #","usage":false"#)}"#,
        ]
        if fixture.choices > 1 { fields.append(#""n":\#(fixture.choices)"#) }
        if clientAsks { fields.append(#""stream_options":{"include_usage":true}"#) }
        let exchange = try await harness.send(.POST, "/v1/chat/completions", key: key, json: "{" + fields.joined(separator: ",") + "}")
        #expect(exchange.status == 200, "\(variant): \(exchange.body)")
        guard exchange.status == 200 else { return }

        let upstream = try Self.upstreamPayloads(fixture, usage: upstreamUsage)
        if fixture.streaming {
            Self.expectRelayed(client: exchange.events, upstream: upstream, clientAsks: clientAsks, variant: variant)
        } else {
            let body = try #require(upstream.first)
            let (relayed, receipt) = Self.splitReceipt(exchange.body)
            #expect(relayed == body, "\(variant): the body is the upstream's with the receipt as its last member")
            #expect(receipt != nil, "\(variant): the body carries the receipt")
        }

        let entries = try await harness.entries(team: team)
        #expect(entries.count == 1, "\(variant): \(entries.count) entries")
        let entry = try #require(entries.first)
        #expect(entry.outcome == "completed", "\(variant)")
        let recorded = try Self.recordedUsage(fixture)
        if upstreamUsage {
            #expect(
                entry.usage.outputTokens == recorded.completion,
                "\(variant): billed \(entry.usage.outputTokens), upstream said \(recorded.completion)"
            )
            #expect(entry.tokenSource == .upstream, "\(variant)")
            #expect(entry.localOutputTokens != nil, "\(variant): the local count is recorded beside the upstream's")
            // Reasoning: the upstream's split when it reports one, else Tollgate's count of the reasoning text.
            let expected = try recorded.reasoning ?? min(Self.reasoningTokens(fixture, usage: true), recorded.completion)
            #expect(entry.usage.reasoningTokens == expected, "\(variant): reasoning \(entry.usage.reasoningTokens), expected \(expected)")
        } else {
            let local = entry.usage.outputTokens
            let tolerance = max(6, recorded.completion * 15 / 100)
            #expect(
                recorded.audio > 0 || abs(local - recorded.completion) <= tolerance,
                "\(variant): counted \(local) output tokens, the recording says \(recorded.completion) (± \(tolerance))"
            )
            let counter = try Vocabularies.counter(forModel: fixture.model)
            let beyondContent = try Self.outputs(fixture, usage: false).beyondContent.map(counter.count).reduce(0, +)
            #expect(local >= beyondContent, "\(variant): \(local) tokens billed, the non-content output alone is \(beyondContent)")
            #expect(entry.localOutputTokens == local, "\(variant)")
            let reasoning = try Self.reasoningTokens(fixture, usage: false)
            #expect(
                entry.usage.reasoningTokens == min(reasoning, local),
                "\(variant): reasoning \(entry.usage.reasoningTokens), counted \(reasoning)"
            )
        }
    }

    // MARK: What the upstream sent

    /// The upstream's payloads: the fixture's `data:` payloads (or body) read from the file, or the
    /// simulator's no-usage variant of them.
    static func upstreamPayloads(_ fixture: Fixture, usage: Bool) throws -> [String] {
        let (url, format) = try RecordedReplay.locate(name: fixture.name, directory: RecordedStreams.directory, streaming: fixture.streaming)
        let contents = try [UInt8](Data(contentsOf: url))
        if !fixture.streaming { return [String(decoding: RecordedReplay.body(of: contents, usage: usage), as: UTF8.self)] }
        if usage {
            // Independent of the simulator's splitting: straight from the file.
            let text = String(decoding: contents, as: UTF8.self)
            switch format {
            case .chunkLines: return text.split(separator: "\n").map(String.init) + ["[DONE]"]
            default: return text.components(separatedBy: "\n\n").compactMap { $0.hasPrefix("data: ") ? String($0.dropFirst(6)) : nil }
            }
        }
        return RecordedReplay.events(of: contents, format: format, usage: false).map { event in
            String(decoding: event, as: UTF8.self).trimmingCharacters(in: .newlines)
        }.compactMap { $0.hasPrefix("data: ") ? String($0.dropFirst(6)) : nil }
    }

    /// Checks the client's payloads against the upstream's under the rules in the suite's comment.
    static func expectRelayed(client: [String], upstream: [String], clientAsks: Bool, variant: String) {
        var expected = upstream
        var receiptIndex: Int?
        if let usageOnly = expected.firstIndex(where: isUsageOnly) {
            if clientAsks { receiptIndex = usageOnly } else { expected.remove(at: usageOnly) }
        } else if clientAsks, let carrier = expected.lastIndex(where: carriesUsageWithChoices) {
            // DeepSeek's form: the usage rides on the last chunk with choices, which carries the receipt.
            receiptIndex = carrier
        }
        var client = client
        if clientAsks, receiptIndex == nil {
            // Tollgate's own usage chunk, just before [DONE].
            let own = client.count >= 2 ? client.remove(at: client.count - 2) : ""
            let object = (try? JSONSerialization.jsonObject(with: Data(own.utf8))) as? [String: Any] ?? [:]
            #expect(
                (object["choices"] as? [Any])?.isEmpty == true && object["usage"] is [String: Any] && object["tollgate"] is [String: Any],
                "\(variant): Tollgate's own usage chunk with the receipt: \(own)"
            )
        }
        #expect(client.count == expected.count, "\(variant): \(client.count) payloads, the upstream sent \(expected.count)")
        for (index, (got, sent)) in zip(client, expected).enumerated() {
            if index == receiptIndex {
                let (relayed, receipt) = splitReceipt(got)
                #expect(
                    relayed == sent && receipt != nil,
                    "\(variant): payload \(index) is the upstream's usage chunk plus the receipt:\n\(got)\n\(sent)"
                )
            } else {
                #expect(got == sent, "\(variant): payload \(index) differs:\n\(got)\n\(sent)")
            }
        }
    }

    /// `text` without a `,"tollgate":{…}` member inserted before its last `}`, and that member's value.
    static func splitReceipt(_ text: String) -> (String, String?) {
        guard let range = text.range(of: #","tollgate":{"#, options: .backwards) else { return (text, nil) }
        let closing = text.lastIndex(of: "}")!
        let receipt = String(text[text.index(range.upperBound, offsetBy: -1)..<closing])
        return (String(text[..<range.lowerBound]) + String(text[closing...]), receipt)
    }

    /// A usage object on a chunk that has choices too (DeepSeek's last chunk).
    static func carriesUsageWithChoices(_ payload: String) -> Bool {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any] else { return false }
        return (object["choices"] as? [Any])?.isEmpty == false && object["usage"] is [String: Any]
    }

    static func isUsageOnly(_ payload: String) -> Bool {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any] else { return false }
        return (object["choices"] as? [Any])?.isEmpty == true && object["usage"] is [String: Any]
    }

    /// The fixture's recorded `completion_tokens`, the audio tokens among them, and its reasoning split if it has one.
    static func recordedUsage(_ fixture: Fixture) throws -> (completion: Int, audio: Int, reasoning: Int?) {
        for payload in try upstreamPayloads(fixture, usage: true).reversed() {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any],
                let usage = object["usage"] as? [String: Any], let completion = usage["completion_tokens"] as? Int
            else { continue }
            let details = usage["completion_tokens_details"] as? [String: Any]
            return (completion, details?["audio_tokens"] as? Int ?? 0, details?["reasoning_tokens"] as? Int)
        }
        throw HarnessFailure(description: "\(fixture) records no usage")
    }

    /// Tokens of the fixture's reasoning text (`reasoning_content` / `reasoning`), counted per choice.
    static func reasoningTokens(_ fixture: Fixture, usage: Bool) throws -> Int {
        var reasoning: [Int: String] = [:]
        for payload in try upstreamPayloads(fixture, usage: usage) {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any],
                let choices = object["choices"] as? [[String: Any]]
            else { continue }
            for choice in choices {
                guard let part = (choice["delta"] ?? choice["message"]) as? [String: Any] else { continue }
                for key in ["reasoning_content", "reasoning"] { reasoning[choice["index"] as? Int ?? 0, default: ""] += part[key] as? String ?? "" }
            }
        }
        let counter = try Vocabularies.counter(forModel: fixture.model)
        return reasoning.values.map(counter.count).reduce(0, +)
    }

    /// Every output string in the fixture that is not `content`: reasoning, refusal, tool-call names
    /// and arguments (joined per call), audio transcripts (joined per choice).
    static func outputs(_ fixture: Fixture, usage: Bool) throws -> (content: [String], beyondContent: [String]) {
        var content: [Int: String] = [:]
        var other: [String: String] = [:]
        for payload in try upstreamPayloads(fixture, usage: usage) {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any],
                let choices = object["choices"] as? [[String: Any]]
            else { continue }
            for choice in choices {
                let index = choice["index"] as? Int ?? 0
                guard let part = (choice["delta"] ?? choice["message"]) as? [String: Any] else { continue }
                content[index, default: ""] += part["content"] as? String ?? ""
                for key in ["reasoning_content", "reasoning", "refusal"] { other["\(index) \(key)", default: ""] += part[key] as? String ?? "" }
                other["\(index) transcript", default: ""] += (part["audio"] as? [String: Any])?["transcript"] as? String ?? ""
                for call in part["tool_calls"] as? [[String: Any]] ?? [] {
                    let function = call["function"] as? [String: Any] ?? [:]
                    let slot = "\(index) call \(call["index"] as? Int ?? (call["id"] as? String).map { $0.hashValue } ?? 0)"
                    other[slot, default: ""] += (function["name"] as? String ?? "") + (function["arguments"] as? String ?? "")
                }
            }
        }
        return (content.keys.sorted().map { content[$0]! }, other.keys.sorted().map { other[$0]! }.filter { !$0.isEmpty })
    }
}
