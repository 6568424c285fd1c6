import Foundation
import Testing
import TollgateCore

@Suite("Reasoning tokens are part of the output")
struct ReasoningUsageTests {
    @Test("reasoning must lie within 0…output; the error says why")
    func bounds() throws {
        #expect(try TokenUsage(inputTokens: 10, outputTokens: 50, reasoningTokens: 50).reasoningTokens == 50)
        #expect(try TokenUsage(inputTokens: 10, outputTokens: 50).reasoningTokens == 0)
        let above = #expect(throws: MoneyError.self) { try TokenUsage(inputTokens: 10, outputTokens: 50, reasoningTokens: 51) }
        #expect(above?.description.contains("reasoning is part of the output") == true)
        #expect(throws: MoneyError.self) { try TokenUsage(inputTokens: 10, outputTokens: 50, reasoningTokens: -1) }
    }

    @Test("withReasoning keeps the split within the billed output, whatever count it is given")
    func clamped() throws {
        let usage = try TokenUsage(inputTokens: 10, outputTokens: 50)
        #expect(usage.withReasoning(20).reasoningTokens == 20)
        #expect(usage.withReasoning(80).reasoningTokens == 50)
        #expect(usage.withReasoning(-3).reasoningTokens == 0)
        #expect(usage.withReasoning(20).outputTokens == 50)
    }

    @Test("the split changes no price: reasoning is billed as output")
    func samePrice() throws {
        let pricing = try PricingTable.load(PricingFixtures.valid)
        let instant = try Date("2030-01-01T00:00:00Z", strategy: .iso8601)
        let split = try TokenUsage(inputTokens: 1_000, outputTokens: 700, reasoningTokens: 600)
        let plain = try TokenUsage(inputTokens: 1_000, outputTokens: 700)
        #expect(
            try pricing.valuation(of: split, model: "deepseek-v3.2", at: instant) == pricing.valuation(of: plain, model: "deepseek-v3.2", at: instant)
        )
    }
}
