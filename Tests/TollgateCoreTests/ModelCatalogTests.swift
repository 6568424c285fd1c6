import Foundation
import Testing

@testable import TollgateCore

@Suite("The model catalog is data: aliases, context window and counting method")
struct ModelCatalogTests {
    static func models(_ entries: String) -> PricingFile {
        PricingFile(
            path: "models.json",
            contents: "{\n  \"models\": {\n\(entries),\n    \"deepseek-v3.2\": { \"provider\": \"deepseek\", \"max_output_tokens\": 8192 }\n  }\n}"
        )
    }

    func only(_ entries: String) -> PricingError? {
        let problems = PricingFixtures.problems([Self.models(entries)] + PricingFixtures.valid.dropFirst())
        #expect(problems.count == 1, "expected one problem, got \(problems)")
        return problems.first
    }

    @Test("aliases resolve to the canonical model, which prices them")
    func aliases() throws {
        let entry =
            #"    "gpt-4.1": { "provider": "openai", "max_output_tokens": 32768, "context_window": 1047576, "aliases": ["gpt-4.1-2025-04-14"], "counting": "o200k_base" }"#
        let table = try PricingTable.load([Self.models(entry)] + PricingFixtures.valid.dropFirst())
        let info = try table.catalog.model("gpt-4.1-2025-04-14")
        #expect(info.id == "gpt-4.1")
        #expect(info.contextWindow == 1_047_576)
        #expect(info.counting == .exact(encoding: "o200k_base"))
        #expect(table.catalog.ids == ["deepseek-v3.2", "gpt-4.1"])
        let instant = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(
            try table.price(of: "gpt-4.1-2025-04-14", in: .relay, at: instant).price
                == (try table.price(of: "gpt-4.1", in: .relay, at: instant).price)
        )
        let usage = try TokenUsage(inputTokens: 1000, outputTokens: 1000)
        #expect(
            try table.valuation(of: usage, model: "gpt-4.1-2025-04-14", at: instant)
                == (try table.valuation(of: usage, model: "gpt-4.1", at: instant))
        )
        let unknown = try #require(throws: PricingError.self) { try table.catalog.model("gpt-4.1-mini") }
        #expect(unknown.code == .unknownModel)
        #expect(unknown.description.contains("known models are deepseek-v3.2, gpt-4.1"))
    }

    @Test("an estimate states its base and ratio; without counting a model is the unlisted estimate")
    func countingMethods() throws {
        let entry =
            #"    "gpt-4.1": { "provider": "openai", "max_output_tokens": 10, "counting": "estimate", "estimate": { "base": "cl100k_base", "numerator": 6, "denominator": 5 } }"#
        let table = try PricingTable.load([Self.models(entry)] + PricingFixtures.valid.dropFirst())
        #expect(try table.catalog.model("gpt-4.1").counting == .estimate(base: "cl100k_base", numerator: 6, denominator: 5))
        #expect(try table.catalog.model("deepseek-v3.2").counting == .unlisted)
        #expect(TokenCounting.unlisted.description == "estimate: o200k_base × 5/4")
    }

    @Test("an unknown counting method names the file, the model and the methods to use")
    func unknownMethod() {
        let problem = only(#"    "gpt-4.1": { "provider": "openai", "max_output_tokens": 10, "counting": "p50k_base" }"#)
        #expect(problem?.code == .malformed)
        #expect(problem?.file == "models.json")
        #expect(problem?.field == "models.gpt-4.1.counting")
        #expect(problem?.line == 3)
        #expect(problem?.description.contains("use one of o200k_base, cl100k_base, deepseek-v3, estimate") == true)
    }

    @Test("an estimate needs a known base and a positive ratio")
    func badEstimate() {
        let base = only(
            #"    "gpt-4.1": { "provider": "openai", "max_output_tokens": 10, "counting": "estimate", "estimate": { "base": "sentencepiece", "numerator": 1, "denominator": 1 } }"#
        )
        #expect(base?.field == "models.gpt-4.1.estimate.base")
        #expect(base?.description.contains("estimate from one of o200k_base") == true)
        let ratio = only(
            #"    "gpt-4.1": { "provider": "openai", "max_output_tokens": 10, "counting": "estimate", "estimate": { "base": "o200k_base", "numerator": 0, "denominator": 1 } }"#
        )
        #expect(ratio?.field == "models.gpt-4.1.estimate.numerator")
        let missing = only(#"    "gpt-4.1": { "provider": "openai", "max_output_tokens": 10, "counting": "estimate" }"#)
        #expect(missing?.code == .missingField)
        #expect(missing?.field == "models.gpt-4.1.estimate")
        let stray = only(
            #"    "gpt-4.1": { "provider": "openai", "max_output_tokens": 10, "estimate": { "base": "o200k_base", "numerator": 1, "denominator": 1 } }"#
        )
        #expect(stray?.field == "models.gpt-4.1.counting")
        let exactWithRatio = only(
            #"    "gpt-4.1": { "provider": "openai", "max_output_tokens": 10, "counting": "o200k_base", "estimate": { "base": "o200k_base", "numerator": 1, "denominator": 1 } }"#
        )
        #expect(exactWithRatio?.field == "models.gpt-4.1.estimate")
    }

    @Test("an alias may name one model, never another model's id, and must be a list of names")
    func badAliases() {
        let shadow = only(#"    "gpt-4.1": { "provider": "openai", "max_output_tokens": 10, "aliases": ["deepseek-v3.2"] }"#)
        #expect(shadow?.field == "models.gpt-4.1.aliases")
        #expect(shadow?.description.contains("'deepseek-v3.2' is itself a model") == true)
        let twice = only(
            """
                "gpt-4.1": { "provider": "openai", "max_output_tokens": 10, "aliases": ["latest"] },
                "gpt-4.1-mini": { "provider": "openai", "max_output_tokens": 10, "aliases": ["latest"] }
            """
        )
        #expect(twice?.description.contains("'latest' is already an alias of 'gpt-4.1'") == true)
        let notList = only(#"    "gpt-4.1": { "provider": "openai", "max_output_tokens": 10, "aliases": "gpt-4.1-2025-04-14" }"#)
        #expect(notList?.code == .malformed)
        #expect(notList?.description.contains("must be a list of names") == true)
        let window = only(#"    "gpt-4.1": { "provider": "openai", "max_output_tokens": 10, "context_window": -1 }"#)
        #expect(window?.field == "models.gpt-4.1.context_window")
    }

    @Test("a price book naming an alias is told to name the canonical model")
    func priceNamesAlias() {
        let entry = #"    "gpt-4.1": { "provider": "openai", "max_output_tokens": 10, "aliases": ["gpt-4"] }"#
        let problems = PricingFixtures.problems([
            Self.models(entry), PricingFixtures.prices("v1", from: "2026-10-01T00:00:00Z", model: "gpt-4"),
            PricingFixtures.fx("fx1", from: "2026-10-01T00:00:00Z"),
        ])
        #expect(problems.count == 1)
        #expect(problems.first?.description.contains("'gpt-4' is an alias of 'gpt-4.1': price the canonical id") == true)
    }
}
