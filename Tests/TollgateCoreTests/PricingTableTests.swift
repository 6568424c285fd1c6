import Foundation
import Testing

@testable import TollgateCore

@Suite("Versioned pricing table")
struct PricingTableTests {
    func instant(_ text: String) throws -> Date { try Date(text, strategy: .iso8601) }

    @Test("a valid folder loads with its models, versions and FX")
    func loads() throws {
        let table = try PricingTable.load(PricingFixtures.valid)
        #expect(table.catalog.ids == ["deepseek-v3.2", "gpt-4.1"])
        #expect(table.priceVersions.map(\.id) == ["v1"])
        #expect(try table.catalog.model("gpt-4.1").maxOutputTokens == 32768)
    }

    @Test("lookup at exactly effective_from uses the new version; one millisecond earlier the old")
    func boundaries() throws {
        let files = PricingFixtures.valid + [PricingFixtures.prices("v2", from: "2026-11-15T00:00:00Z", supersedes: "v1", gptOutput: "\"9.00\"")]
        let table = try PricingTable.load(files)
        let boundary = try instant("2026-11-15T00:00:00Z")
        #expect(try table.price(of: "gpt-4.1", in: .relay, at: boundary).version == "v2")
        #expect(try table.price(of: "gpt-4.1", in: .relay, at: boundary).price.outputPerMillion == 9_000_000_000)
        #expect(try table.price(of: "gpt-4.1", in: .relay, at: boundary.addingTimeInterval(-0.001)).version == "v1")
        #expect(try table.price(of: "gpt-4.1", in: .relay, at: try instant("2026-10-01T00:00:00Z")).version == "v1")
    }

    @Test("adding a newer version never changes what an older instant prices to")
    func newerVersionKeepsHistory() throws {
        let usage = try TokenUsage(inputTokens: 1234, cachedInputTokens: 200, outputTokens: 5678)
        let past = try instant("2026-10-20T12:00:00Z")
        let before = try PricingTable.load(PricingFixtures.valid).valuation(of: usage, model: "gpt-4.1", at: past)
        let later =
            PricingFixtures.valid + [
                PricingFixtures.prices("v2", from: "2026-11-01T00:00:00Z", supersedes: "v1", gptOutput: "\"1.00\""),
                PricingFixtures.fx("fx2", from: "2026-11-01T00:00:00Z", baseline: "7.1", supersedes: "fx1"),
            ]
        let after = try PricingTable.load(later).valuation(of: usage, model: "gpt-4.1", at: past)
        #expect(before == after)
    }

    @Test("valuation stamps versions and values every view")
    func valuation() throws {
        let table = try PricingTable.load(PricingFixtures.valid)
        let usage = try TokenUsage(inputTokens: 0, outputTokens: 62_500_000)  // $500 of gpt-4.1 output
        let value = try table.valuation(of: usage, model: "gpt-4.1", at: try instant("2026-10-05T00:00:00Z"))
        #expect(value.priceVersion == "v1")
        #expect(value.fxVersion == "fx1")
        #expect(value.relayUSD.decimalString == "500.00")
        #expect(value.paidCNY.decimalString == "500.00")
        #expect(value.baselineCNY.decimalString == "3650.00")
        #expect(value.charge(in: .usd) == value.relayUSD)
        #expect(value.charge(in: .cny) == value.paidCNY)
    }

    @Test("an instant before the first version is refused, naming when pricing starts")
    func beforeFirstVersion() throws {
        let table = try PricingTable.load(PricingFixtures.valid)
        #expect(throws: PricingError.self) { try table.priceVersion(at: try instant("2026-09-30T23:59:59Z")) }
        #expect(throws: PricingError.self) { try table.fxVersion(at: try instant("2026-09-30T23:59:59Z")) }
    }

    @Test("an unknown model is refused with the list of known models")
    func unknownModelLookup() throws {
        let table = try PricingTable.load(PricingFixtures.valid)
        let error = #expect(throws: PricingError.self) { try table.price(of: "gpt-4", in: .relay, at: Date()) }
        #expect(error?.description == "unknown model 'gpt-4': known models are deepseek-v3.2, gpt-4.1")
    }
}
