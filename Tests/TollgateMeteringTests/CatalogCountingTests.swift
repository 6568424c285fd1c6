import Foundation
import Testing
import TollgateCore
import TollgateRelaySim
import TollgateStreaming
import TollgateTokenizers

@testable import TollgateMetering

@Suite("The catalog decides how a model is counted and what an alias bills as")
struct CatalogCountingTests {
    @Test("the core's encoding names are exactly the tokenizers' encodings")
    func encodingNamesAgree() {
        #expect(TokenCounting.encodings.sorted() == TokenEncoding.allCases.map(\.rawValue).sorted())
    }

    @Test("the shipped catalog counts as it did when the map was code: gpt-4.1 and deepseek exact, claude 5/4 and gemini 21/20 of o200k")
    func shippedCounting() throws {
        let gpt = try Vocabularies.counter(forModel: "gpt-4.1")
        #expect(gpt.encoding == .o200kBase && gpt.source == .exact)
        let deepseek = try Vocabularies.counter(forModel: "deepseek-v3.2")
        #expect(deepseek.encoding == .deepseekV3 && deepseek.source == .exact)
        let claude = try Vocabularies.counter(forModel: "claude-sonnet-4.5")
        #expect(claude.source == .estimate && claude.encoding == .o200kBase)
        let gemini = try Vocabularies.counter(forModel: "gemini-2.5-flash")
        #expect(gemini.source == .estimate)
        let text = "The quick brown fox jumps over the lazy dog."
        let exact = gpt.count(text)
        #expect(claude.count(text) == (exact * 5 + 3) / 4)
        #expect(gemini.count(text) == (exact * 21 + 19) / 20)
        #expect(try Vocabularies.counter(forModel: "claude-sonnet-4-5-20250929").count(text) == claude.count(text))
    }

    @Test("a name no catalog lists is the unlisted estimate, o200k × 5/4 rounded up")
    func unlistedName() throws {
        let counter = try Vocabularies.counter(forModel: "gpt-5-added-later")
        #expect(counter.source == .estimate)
        #expect(counter.estimate == TokenEstimate(base: .o200kBase, numerator: 5, denominator: 4))
        let text = "The quick brown fox jumps over the lazy dog."
        #expect(counter.count(text) == (try Vocabularies.counter(forModel: "gpt-4.1").count(text) * 5 + 3) / 4)
    }

    @Test("a dated snapshot is admitted, priced and recorded as its canonical model")
    func aliasBillsAsCanonical() async throws {
        var simulator = RelaySimulatorConfiguration()
        simulator.models.append("gpt-4.1-2025-04-14")
        try await MeteredHarness.run(simulator: simulator) { harness async throws in
            let request = ChatRequest(model: "gpt-4.1-2025-04-14", messages: prompt, maxTokens: 16)
            let stream = try await harness.client().stream(teamID: harness.team.id, keyID: nil, request: request)
            let result = await collect(stream)
            #expect(result.error == nil)
            let summary = try #require(result.summary)
            let entry = try #require(try await harness.entries().first)
            #expect(entry.model == "gpt-4.1")
            let expected = try harness.pricing.valuation(of: summary.usage, model: "gpt-4.1", at: stream.admission.admittedAt)
            #expect(entry.chargeCNY == expected.paidCNY)
        }
    }
}
