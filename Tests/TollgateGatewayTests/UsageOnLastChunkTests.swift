import Foundation
import Testing
import TollgateCore
import TollgateLedger
import TollgateRelaySim
import TollgateStorage
import TollgateTestSupport

/// DeepSeek's streamed usage: not a separate `"choices":[]` chunk but a `usage` object on the last
/// chunk with choices (an empty `content` and `finish_reason`), replayed from the recorded
/// `deepseek-reasoning` stream (Tests/Fixtures/openai-chat, vercel/ai's DeepSeek fixture, cited in
/// its README).
@Suite("Usage on the last content chunk (DeepSeek)")
struct UsageOnLastChunkTests {
    static let fixture = RecordedFixtureGatewayTests.Fixture(name: "deepseek-reasoning", streaming: true)

    func send(_ harness: GatewayHarness, key: String, usage: Bool, asks: Bool) async throws -> Exchange {
        var fields = [
            #""model":"deepseek-v3.2""#, #""messages":[{"role":"user","content":"Replay it."}]"#, #""stream":true"#,
            #""tollgate_sim":{"replay":"deepseek-reasoning"\#(usage ? "" : #","usage":false"#)}"#,
        ]
        if asks { fields.append(#""stream_options":{"include_usage":true}"#) }
        return try await harness.send(.POST, "/v1/chat/completions", key: key, json: "{" + fields.joined(separator: ",") + "}")
    }

    @Test("a client asking for usage gets the upstream's chunks only, the last content chunk carrying the receipt; billed once")
    func receiptOnTheCarrier() async throws {
        let simulator = RelaySimulatorConfiguration(timeToFirstToken: .zero, replayDirectory: RecordedStreams.directory)
        try await GatewayHarness.run(simulator: simulator, simulatorOverSSE: true) { harness in
            let key = try await harness.team("a", budget: "10")
            let exchange = try await send(harness, key: key, usage: true, asks: true)
            #expect(exchange.status == 200)
            let upstream = try RecordedFixtureGatewayTests.upstreamPayloads(Self.fixture, usage: true)
            let client = exchange.events
            #expect(client.count == upstream.count, "no usage chunk of Tollgate's own: \(client.count) payloads, the upstream sent \(upstream.count)")
            #expect(client.last == "[DONE]")
            let carrier = try #require(upstream.lastIndex(where: RecordedFixtureGatewayTests.carriesUsageWithChoices))
            #expect(carrier == upstream.count - 2, "the recording's usage is on its last chunk")
            for index in upstream.indices where index != carrier {
                #expect(client[index] == upstream[index], "payload \(index) differs")
            }
            let (relayed, receipt) = RecordedFixtureGatewayTests.splitReceipt(client[carrier])
            #expect(relayed == upstream[carrier], "the carrier is the upstream's bytes plus the receipt")
            let receiptText = try #require(receipt)
            let fields = try #require(try JSONSerialization.jsonObject(with: Data(receiptText.utf8)) as? [String: Any])
            #expect(fields["token_source"] as? String == "upstream")
            #expect(fields["reasoning_tokens"] as? Int == 205, "\(fields)")

            let entries = try await harness.entries(team: "a")
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            #expect(entry.usage.outputTokens == 219 && entry.usage.inputTokens == 18 && entry.usage.reasoningTokens == 205)
            #expect(fields["cost"] as? String == entry.chargeCNY.decimalString)

            // Counted once: the local count beside the upstream's equals the count of the same
            // stream relayed without any usage.
            let other = try await harness.team("b", budget: "10")
            let bare = try await send(harness, key: other, usage: false, asks: true)
            #expect(bare.status == 200)
            let local = try #require(try await harness.entries(team: "b").first).localOutputTokens
            #expect(entry.localOutputTokens == local)
        }
    }

    @Test("a client not asking for usage gets every chunk as it came, with no receipt; still billed on the upstream's usage")
    func notAsked() async throws {
        let simulator = RelaySimulatorConfiguration(timeToFirstToken: .zero, replayDirectory: RecordedStreams.directory)
        try await GatewayHarness.run(simulator: simulator, simulatorOverSSE: true) { harness in
            let key = try await harness.team("a", budget: "10")
            let exchange = try await send(harness, key: key, usage: true, asks: false)
            #expect(exchange.events == (try RecordedFixtureGatewayTests.upstreamPayloads(Self.fixture, usage: true)))
            let entry = try #require(try await harness.entries(team: "a").first)
            #expect(entry.usage.outputTokens == 219 && entry.tokenSource == .upstream)
        }
    }

    @Test(
        "Tollgate's own usage chunk (the upstream sent none) carries completion_tokens_details.reasoning_tokens as OpenAI's does; none without reasoning"
    )
    func ownUsageChunkReasoning() async throws {
        let simulator = RelaySimulatorConfiguration(timeToFirstToken: .zero, replayDirectory: RecordedStreams.directory)
        try await GatewayHarness.run(simulator: simulator, simulatorOverSSE: true) { harness in
            let key = try await harness.team("a", budget: "10")
            let exchange = try await send(harness, key: key, usage: false, asks: true)
            #expect(exchange.status == 200)
            let events = exchange.events
            try #require(events.count >= 2 && events.last == "[DONE]", "\(events)")
            let chunk = try #require(try JSONSerialization.jsonObject(with: Data(events[events.count - 2].utf8)) as? [String: Any])
            #expect((chunk["id"] as? String)?.hasPrefix("chatcmpl-") == true && (chunk["choices"] as? [Any])?.isEmpty == true, "\(chunk)")
            let usage = try #require(chunk["usage"] as? [String: Any])
            let entry = try #require(try await harness.entries(team: "a").first)
            #expect(entry.usage.reasoningTokens > 0 && entry.tokenSource != .upstream)
            let details = try #require(usage["completion_tokens_details"] as? [String: Any], "\(usage)")
            #expect(details["reasoning_tokens"] as? Int == entry.usage.reasoningTokens)
            #expect(usage["completion_tokens"] as? Int == entry.usage.outputTokens)

            let plain = try await harness.send(
                .POST,
                "/v1/chat/completions",
                key: key,
                json:
                    #"{"model":"deepseek-v3.2","messages":[{"role":"user","content":"Hi."}],"stream":true,"stream_options":{"include_usage":true},"max_tokens":8}"#
            )
            let usages = plain.events.compactMap { event -> [String: Any]? in
                let object = (try? JSONSerialization.jsonObject(with: Data(event.utf8))) as? [String: Any]
                return object?["usage"] as? [String: Any]
            }
            let plainUsage = try #require(usages.last, "\(plain.events)")
            #expect(plainUsage["completion_tokens_details"] == nil, "no reasoning, no details: \(plainUsage)")
        }
    }

    @Test(
        "settlement refused while the carrier is held: the carrier still goes out as the upstream sent it, no receipt, then the error line and [DONE]; the hold stays for the reclaimer"
    )
    func settlementRefused() async throws {
        let simulator = RelaySimulatorConfiguration(timeToFirstToken: .zero, replayDirectory: RecordedStreams.directory)
        let refusal = LedgerError(.rejected, "refused by the test ledger")
        try await GatewayHarness.run(
            simulator: simulator,
            simulatorOverSSE: true,
            settlementStore: { FlakyCommitStore($0, failures: 1, error: refusal, settlementsOnly: true) }
        ) { harness in
            let key = try await harness.team("a", budget: "10")
            let exchange = try await send(harness, key: key, usage: true, asks: true)
            #expect(exchange.status == 200)
            let upstream = try RecordedFixtureGatewayTests.upstreamPayloads(Self.fixture, usage: true)
            let client = exchange.events
            // The upstream's payloads up to and including the carrier (its [DONE] aside), unchanged.
            try #require(client.count == upstream.count + 1, "\(client)")
            for index in 0..<(upstream.count - 1) {
                #expect(client[index] == upstream[index], "payload \(index) differs")
            }
            let carrier = upstream.count - 2
            #expect(RecordedFixtureGatewayTests.splitReceipt(client[carrier]).1 == nil, "no receipt without a settlement")
            let error = try #require(try JSONSerialization.jsonObject(with: Data((client[upstream.count - 1]).utf8)) as? [String: Any])
            let fields = try #require(error["error"] as? [String: Any], "\(error)")
            #expect(fields["code"] as? String == "ledger_failed", "the ledger refused, not the upstream")
            #expect((fields["message"] as? String)?.contains("refused by the test ledger") == true, "\(fields)")
            #expect(client.last == "[DONE]")
            #expect(try await harness.entries(team: "a").isEmpty)
            let team = try await harness.ledger.team(named: "a")
            #expect(try await harness.ledger.openReservations(teamID: team.id).count == 1, "the hold is left for the reclaimer to settle")
        }
    }
}

/// A relay that reports running usage on every chunk (vLLM's `continuous_usage_stats` form): only
/// the finishing chunk is held for the receipt, the others go out as they come.
@Suite("Usage on every chunk")
struct UsageOnEveryChunkTests {
    static func chunk(_ delta: String, finish: String?, completion: Int) -> String {
        #"{"id":"chatcmpl-cu","object":"chat.completion.chunk","created":1733312100,"model":"gpt-4.1","choices":[{"index":0,"delta":\#(delta),"finish_reason":\#(finish.map { "\"\($0)\"" } ?? "null")}],"usage":{"prompt_tokens":20,"completion_tokens":\#(completion),"total_tokens":\#(20 + completion)}}"#
    }

    static let chunks = [
        chunk(#"{"role":"assistant","content":"One"}"#, finish: nil, completion: 1),
        chunk(#"{"content":" two"}"#, finish: nil, completion: 2),
        chunk(#"{"content":" three."}"#, finish: nil, completion: 4),
        chunk("{}", finish: "stop", completion: 4),
    ]

    @Test("every chunk relayed as sent, the finishing one with the receipt, no chunk of Tollgate's own; billed on the last report")
    func finishingOneHeld() async throws {
        try await RecordedUpstream.run({ _ in .stream(Self.chunks) }) { upstream in
            try await GatewayHarness.run(upstreamURL: upstream.url) { harness in
                let body =
                    #"{"model":"gpt-4.1","messages":[{"role":"user","content":"Count."}],"stream":true,"stream_options":{"include_usage":true}}"#
                let exchange = try await harness.send(.POST, "/v1/chat/completions", key: harness.alphaKey, json: body)
                #expect(exchange.status == 200)
                let events = exchange.events
                #expect(events.count == Self.chunks.count + 1 && events.last == "[DONE]", "\(events)")
                #expect(Array(events.prefix(3)) == Array(Self.chunks.prefix(3)))
                let (relayed, receipt) = RecordedFixtureGatewayTests.splitReceipt(events[3])
                #expect(relayed == Self.chunks[3] && receipt != nil, "\(events[3])")
                let entries = try await harness.entries(team: "alpha")
                #expect(entries.count == 1 && entries.first?.usage.outputTokens == 4 && entries.first?.usage.inputTokens == 20)
            }
        }
    }
}
