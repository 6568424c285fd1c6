import Foundation
import NIOCore
import Testing
import TollgateCore
import TollgateStreaming

@testable import TollgateMetering

/// Metering of relayed payloads (`ChatEvent.relayed`): every choice counted apart, a cutoff that
/// drops the payload crossing the limit whole, and a hold that covers every choice.
@Suite("Metering relayed payloads")
struct RelayedMeteringTests {
    static func chunk(_ outputs: [(Int, String)]) -> ChatEvent {
        .relayed(RelayedChunk(kind: .streamed, payload: ByteBuffer(string: "{}"), output: outputs.map { ChoiceOutput(index: $0.0, text: $0.1) }))
    }

    static var done: ChatEvent {
        var completion = StreamCompletion(finishReason: "stop")
        completion.isRelayed = true
        return .done(completion)
    }

    func client(_ harness: MeteredHarness, _ events: [ChatEvent]) -> MeteredClient {
        MeteredClient(
            store: harness.ledger,
            pricing: harness.pricing,
            tokenizers: Vocabularies.registry,
            upstream: ReplayingChatClient(events: events),
            writer: harness.writer
        )
    }

    @Test("each choice is counted apart and billed as the sum, without upstream usage")
    func perChoice() async throws {
        let first = ["Hello there, ", "how can I help?"]
        let second = ["I'm sorry, ", "I can't help with that."]
        let events: [ChatEvent] = [
            .sessionEstablished(id: nil), Self.chunk([(0, first[0]), (1, second[0])]), Self.chunk([(1, second[1])]),
            Self.chunk([(0, first[1])]), Self.done,
        ]
        try await MeteredHarness.run { harness in
            let request = ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 50, choices: 2)
            let result = await collect(try await client(harness, events).stream(teamID: harness.team.id, keyID: nil, request: request))
            #expect(result.error == nil)
            let counter = try Vocabularies.counter(forModel: "gpt-4.1")
            let expected = counter.count(first.joined()) + counter.count(second.joined())
            #expect(result.summary?.usage.outputTokens == expected)
            #expect(result.summary?.localOutputTokens == expected)
        }
    }

    @Test(
        "without upstream usage each tool call bills its format tokens beside its name and arguments: 7 on o200k, 36 on DeepSeek",
        arguments: [("gpt-4.1", 7), ("deepseek-v3.2", 36)]
    )
    func toolCallFormatTokens(_ model: String, _ perCall: Int) async throws {
        func call(_ index: Int, _ text: String, starts: Bool) -> ChatEvent {
            .relayed(
                RelayedChunk(
                    kind: .streamed,
                    payload: ByteBuffer(string: "{}"),
                    output: [ChoiceOutput(index: index, text: text, toolCalls: starts ? 1 : 0)]
                )
            )
        }
        // Two parallel calls in choice 0 and one in choice 1; arguments arrive in later deltas.
        let events: [ChatEvent] = [
            .sessionEstablished(id: nil), call(0, "get_weather", starts: true), call(0, #"{"city":"Paris"}"#, starts: false),
            call(0, "get_stock", starts: true), call(0, #"{"ticker":"ACME"}"#, starts: false),
            call(1, "get_weather", starts: true), call(1, #"{"city":"Oslo"}"#, starts: false), Self.done,
        ]
        try await MeteredHarness.run { harness in
            let request = ChatRequest(model: model, messages: prompt, maxTokens: 200, choices: 2)
            let result = await collect(try await client(harness, events).stream(teamID: harness.team.id, keyID: nil, request: request))
            #expect(result.error == nil)
            let counter = try Vocabularies.counter(forModel: model)
            let text = counter.count(#"get_weather{"city":"Paris"}get_stock{"ticker":"ACME"}"#) + counter.count(#"get_weather{"city":"Oslo"}"#)
            #expect(result.summary?.usage.outputTokens == text + 3 * perCall)
            #expect(result.summary?.localOutputTokens == text + 3 * perCall)
        }
    }

    @Test("a cutoff ends after the last whole payload that fits: the crossing one is neither handed on nor billed")
    func cutDropsTheCrossingPayload() async throws {
        let piece = String(repeating: "budget ", count: 10)
        let events: [ChatEvent] = [.sessionEstablished(id: nil)] + (0..<300).map { _ in Self.chunk([(0, piece)]) } + [Self.done]
        try await MeteredHarness.run(budget: "0.0003", policy: .soft) { harness in
            let stream = try await client(harness, events).stream(
                teamID: harness.team.id,
                keyID: nil,
                request: ChatRequest(model: "gpt-4.1", messages: prompt)
            )
            var relayed = 0
            var cutoff: BudgetCutoff?
            var summary: MeteredSummary?
            for try await event in stream {
                switch event {
                case .chat(.relayed): relayed += 1
                case .budgetExhausted(let cut): cutoff = cut
                case .settled(let settled): summary = settled
                case .chat: break
                }
            }
            #expect(relayed > 0 && relayed < 300)
            let cut = try #require(cutoff)
            let counter = try Vocabularies.counter(forModel: "gpt-4.1")
            let delivered = counter.count(String(repeating: piece, count: relayed))
            #expect(cut.deliveredOutputTokens == delivered)
            #expect(cut.deliveredOutputTokens <= cut.allowedOutputTokens)
            #expect(summary?.outcome == .cutOff)
            #expect(summary?.usage.outputTokens == delivered)
            #expect(summary.map { $0.charge <= (try! Money(parsing: "0.0003", .cny)) } == true)
        }
    }

    @Test("n multiplies the worst case: 64 choices on a budget that holds one are refused before any upstream call")
    func choicesScaleTheHold() async throws {
        try await MeteredHarness.run(budget: "0.03") { harness in
            let one = ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 200)
            let many = ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 200, choices: 64)
            let admitted = try await client(harness, [.sessionEstablished(id: nil), Self.done]).stream(
                teamID: harness.team.id,
                keyID: nil,
                request: one
            )
            _ = await collect(admitted)
            await #expect(throws: MeteringError.self) {
                _ = try await client(harness, []).stream(teamID: harness.team.id, keyID: nil, request: many)
            }
        }
    }

    @Test("the limit sent upstream: the client's own unless admission lowered it; never the model's maximum for a client that sent none")
    func upstreamLimit() async throws {
        try await MeteredHarness.run(budget: "0.01", policy: .clamp) { harness in
            let client = client(harness, [])
            func limit(_ body: String, maxTokens: Int?, choices: Int = 1) async throws -> (sent: Int?, held: Int) {
                let parsed = try ChatRequestBody(bytes: Array(body.utf8))
                let request = ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: maxTokens, body: parsed, choices: choices)
                let stream = try await client.stream(teamID: harness.team.id, keyID: nil, request: request)
                let admission = stream.admission
                let held = admission.decision.maxOutputTokens ?? 0
                return (MeteredClient.upstreamLimit(request, admitted: admission, maxTokens: held, choices: choices, modelMaximum: 32_768), held)
            }
            #expect(try await limit(#"{"stream":true,"max_tokens":20}"#, maxTokens: 20).sent == 20)
            // The clamp: ¥0.01 doesn't cover gpt-4.1's maximum output, so a client without a limit gets the clamped one.
            let clamped = try await limit(#"{"stream":true}"#, maxTokens: nil)
            #expect(clamped.sent == clamped.held && clamped.held < 32_768)
            let four = try await limit(#"{"stream":true,"n":4}"#, maxTokens: nil, choices: 4)
            #expect(four.held < 4 * 32_768)
            #expect(four.sent == four.held / 4, "four choices share the clamp")
            let noBody = ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 20)
            #expect(
                MeteredClient.upstreamLimit(
                    noBody,
                    admitted: try await client.stream(teamID: harness.team.id, keyID: nil, request: noBody).admission,
                    maxTokens: 20,
                    choices: 1,
                    modelMaximum: 32_768
                ) == 20
            )
        }
    }
}
