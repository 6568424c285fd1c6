import Foundation
import NIOCore
import Testing
import TollgateCore
import TollgateLedger
import TollgateStorage
import TollgateStreaming

@testable import TollgateMetering

/// The reasoning part of the output, recorded beside the bill (never billed apart): the upstream's
/// `completion_tokens_details.reasoning_tokens` when it reports one, else Tollgate's own count of the
/// reasoning text (DeepSeek's `reasoning_content`), per choice.
@Suite("Metering reasoning tokens")
struct ReasoningMeteringTests {
    static let reasoning = ["The user wants a short answer. ", "Two sentences are enough; ", "keep it plain."]
    static let answer = ["WebSocket keeps one connection open ", "and streams frames both ways."]

    static func chunk(reasoning: String = "", content: String = "", index: Int = 0) -> ChatEvent {
        .relayed(
            RelayedChunk(
                kind: .streamed,
                payload: ByteBuffer(string: "{}"),
                output: [ChoiceOutput(index: index, text: reasoning + content, reasoning: reasoning)]
            )
        )
    }

    static func usage(output: Int, reasoning: Int?) -> ChatEvent {
        var usage = UpstreamUsage(inputTokens: 30, outputTokens: output)
        usage.reasoningTokens = reasoning
        return .relayed(RelayedChunk(kind: .streamed, payload: ByteBuffer(string: "{}"), output: [], usage: usage, isUsageOnly: true))
    }

    static var events: [ChatEvent] {
        [.sessionEstablished(id: nil)] + reasoning.map { chunk(reasoning: $0) } + answer.map { chunk(content: $0) }
    }

    func run(_ events: [ChatEvent], model: String = "deepseek-v3.2", choices: Int = 1) async throws -> (MeteredSummary?, [LedgerEntry]) {
        try await MeteredHarness.run { harness in
            let client = MeteredClient(
                store: harness.ledger,
                pricing: harness.pricing,
                tokenizers: Vocabularies.registry,
                upstream: ReplayingChatClient(events: events + [RelayedMeteringTests.done]),
                writer: harness.writer
            )
            let request = ChatRequest(model: model, messages: prompt, maxTokens: 500, choices: choices)
            let result = await collect(try await client.stream(teamID: harness.team.id, keyID: nil, request: request))
            #expect(result.error == nil)
            return (result.summary, try await harness.entries())
        }
    }

    @Test("without upstream usage the reasoning text is counted apart and recorded; the bill is the whole output")
    func localCount() async throws {
        let (summary, entries) = try await run(Self.events)
        let counter = try Vocabularies.counter(forModel: "deepseek-v3.2")
        let reasoning = counter.count(Self.reasoning.joined())
        #expect(reasoning > 0)
        #expect(summary?.usage.reasoningTokens == reasoning)
        #expect(summary?.usage.outputTokens == counter.count((Self.reasoning + Self.answer).joined()))
        #expect(entries.first?.usage.reasoningTokens == reasoning && entries.count == 1)
    }

    @Test("the upstream's reasoning_tokens wins when reported, as its usage does")
    func upstreamSplit() async throws {
        let (summary, entries) = try await run(Self.events + [Self.usage(output: 40, reasoning: 25)])
        #expect(summary?.tokenSource == .upstream)
        #expect(summary?.usage.outputTokens == 40 && summary?.usage.reasoningTokens == 25)
        #expect(entries.first?.usage.reasoningTokens == 25)
    }

    @Test("upstream usage without a split: Tollgate's count of the reasoning, kept within the billed output")
    func upstreamWithoutSplit() async throws {
        let counter = try Vocabularies.counter(forModel: "deepseek-v3.2")
        let local = counter.count(Self.reasoning.joined())
        let total = counter.count((Self.reasoning + Self.answer).joined())
        let (summary, _) = try await run(Self.events + [Self.usage(output: total, reasoning: nil)])
        #expect(summary?.usage.reasoningTokens == local)
        // A negative split is no split: the local count stands in.
        let (negative, _) = try await run(Self.events + [Self.usage(output: total, reasoning: -5)])
        #expect(negative?.usage.reasoningTokens == local)
        // A split above the billed output cannot be: it is capped at the output.
        let (above, _) = try await run(Self.events + [Self.usage(output: total, reasoning: total + 100)])
        #expect(above?.usage.reasoningTokens == total)
    }

    @Test("each choice's reasoning is counted apart (n = 2)")
    func perChoice() async throws {
        let events: [ChatEvent] = [
            .sessionEstablished(id: nil), Self.chunk(reasoning: "Alpha beta ", index: 0), Self.chunk(reasoning: "gamma delta", index: 1),
            Self.chunk(reasoning: "epsilon.", index: 0), Self.chunk(content: "Done.", index: 1),
        ]
        let (summary, _) = try await run(events, choices: 2)
        let counter = try Vocabularies.counter(forModel: "deepseek-v3.2")
        #expect(summary?.usage.reasoningTokens == counter.count("Alpha beta epsilon.") + counter.count("gamma delta"))
    }

    @Test("a stream without reasoning records none")
    func none() async throws {
        let (summary, entries) = try await run([.sessionEstablished(id: nil)] + Self.answer.map { Self.chunk(content: $0) }, model: "gpt-4.1")
        #expect(summary?.usage.reasoningTokens == 0 && entries.first?.usage.reasoningTokens == 0)
    }
}
