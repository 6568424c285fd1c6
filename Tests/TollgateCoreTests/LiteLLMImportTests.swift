import Foundation
import Testing

@testable import TollgateCore

@Suite("LiteLLM catalog import: exact prices, validated versions, idempotent")
struct LiteLLMImportTests {
    /// The recorded excerpt of BerriAI/litellm's model_prices_and_context_window.json (see its README).
    static let excerpt: PricingFile = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "Fixtures/litellm/model_prices_excerpt.json")
        return PricingFile(path: "model_prices_excerpt.json", contents: try! String(contentsOf: url, encoding: .utf8))
    }()
    static let start = try! Date("2026-12-01T00:00:00Z", strategy: .iso8601)

    static func importing(_ selection: LiteLLMImport.Selection, ratio: Int64 = NanoDecimal.scale, providers: [String: Int64] = [:]) -> LiteLLMImport {
        LiteLLMImport(selection: selection, effectiveFrom: start, versionID: "v2", relayRatio: ratio, providerRatios: providers, origin: "test")
    }

    /// `current` with the plan's files written over it.
    static func applying(_ plan: LiteLLMImport.Plan, to current: [PricingFile]) -> [PricingFile] {
        current.filter { file in !plan.changed.contains { $0.path == file.path } } + plan.changed
    }

    @Test("per-token prices convert exactly, exponent form included (checked by hand)")
    func exactConversion() {
        #expect(PerTokenPrice.nanosPerMillion("3e-06") == 3_000_000_000)  // $3.00 / MTok
        #expect(PerTokenPrice.nanosPerMillion("2.1875e-06") == 2_187_500_000)  // $2.1875
        #expect(PerTokenPrice.nanosPerMillion("5.46875e-07") == 546_875_000)  // $0.546875
        #expect(PerTokenPrice.nanosPerMillion("6e-08") == 60_000_000)  // $0.06
        #expect(PerTokenPrice.nanosPerMillion("0.0000025") == 2_500_000_000)
        #expect(PerTokenPrice.nanosPerMillion("1.5E-5") == 15_000_000_000)
        #expect(PerTokenPrice.nanosPerMillion("0.0") == 0)
        #expect(PerTokenPrice.nanosPerMillion("1e-15") == 1)  // one nano per MTok
        #expect(PerTokenPrice.nanosPerMillion("1e-16") == nil)  // a tenth of a nano
        #expect(PerTokenPrice.nanosPerMillion("6.0000000001e-08") == nil)
        #expect(PerTokenPrice.nanosPerMillion("-3e-06") == nil)
        #expect(PerTokenPrice.nanosPerMillion("3e-06.5") == nil)
        #expect(PerTokenPrice.nanosPerMillion("1e10") == nil)  // beyond the bound on amounts
        #expect(PerTokenPrice.text(nanosPerMillion: 546_875_000) == "0.000000546875")
        #expect(PerTokenPrice.text(nanosPerMillion: 15_000_000_000) == "0.000015")
        #expect(PerTokenPrice.text(nanosPerMillion: 1) == "0.000000000000001")
        for nanos: Int64 in [1, 28_000_000, 2_187_500_000, 1_000_000_000_000_000] {
            #expect(PerTokenPrice.nanosPerMillion(PerTokenPrice.text(nanosPerMillion: nanos)) == nanos)
        }
    }

    @Test("a provider's chat models become a version: official as LiteLLM says, relay by the ratio, old models carried")
    func importProvider() throws {
        let current = PricingFixtures.valid
        let plan = try Self.importing(.provider("bedrock_converse"), ratio: 850_000_000).plan(litellm: Self.excerpt, current: current)
        #expect(plan.changed.map(\.path).sorted() == ["models.json", "prices/v2.json"])
        #expect(plan.skipped.isEmpty)
        let table = try PricingTable.load(Self.applying(plan, to: current))
        let version = try table.priceVersion(at: Self.start)
        #expect(version.id == "v2" && version.supersedes == "v1")
        let nova = try #require(version.books[.official]?["amazon.nova-2-pro-preview-20251202-v1:0"])
        #expect(nova == ModelPrice(inputPerMillion: 2_187_500_000, cachedInputPerMillion: 546_875_000, outputPerMillion: 17_500_000_000))
        let novaRelay = try #require(version.books[.relay]?["amazon.nova-2-pro-preview-20251202-v1:0"])
        #expect(novaRelay == ModelPrice(inputPerMillion: 1_859_375_000, cachedInputPerMillion: 464_843_750, outputPerMillion: 14_875_000_000))
        let haiku = try #require(version.books[.official]?["anthropic.claude-haiku-4-5-20251001-v1:0"])
        #expect(
            haiku
                == ModelPrice(
                    inputPerMillion: 1_000_000_000,
                    cachedInputPerMillion: 100_000_000,
                    outputPerMillion: 5_000_000_000,
                    cacheWrite5mPerMillion: 1_250_000_000,
                    cacheWrite1hPerMillion: 2_000_000_000
                )
        )
        let haikuRelay = try #require(version.books[.relay]?["anthropic.claude-haiku-4-5-20251001-v1:0"])
        #expect(haikuRelay.cacheWrite5mPerMillion == 1_062_500_000 && haikuRelay.cacheWrite1hPerMillion == 1_700_000_000)
        #expect(version.books[.official]?["gpt-4.1"] == (try table.priceVersions.first!.price(of: "gpt-4.1", in: .official)))
        let info = try table.catalog.model("anthropic.claude-haiku-4-5-20251001-v1:0")
        #expect(info.provider == "bedrock_converse" && info.maxOutputTokens == 64000 && info.contextWindow == 200_000)
        #expect(info.counting == .unlisted)
        // Cache writes are written under the price file's names.
        let text = try #require(plan.changed.first { $0.path == "prices/v2.json" }?.contents)
        #expect(text.contains(#""cache_write_5m": "1.25", "cache_write_1h": "2.00""#))
        // The older version still prices what it priced.
        #expect(try table.priceVersion(at: Self.start.addingTimeInterval(-1)).id == "v1")
    }

    @Test("re-importing the same prices changes nothing; a different version under the same id is refused")
    func idempotent() throws {
        let importer = Self.importing(.provider("bedrock_converse"))
        let once = Self.applying(try importer.plan(litellm: Self.excerpt, current: PricingFixtures.valid), to: PricingFixtures.valid)
        #expect(try importer.plan(litellm: Self.excerpt, current: once).changed.isEmpty)
        let other = Self.importing(.provider("bedrock_converse"), ratio: 900_000_000)
        let problems = try #require(throws: PricingProblems.self) { try other.plan(litellm: Self.excerpt, current: once) }
        #expect(problems.description.contains("version 'v2' already exists with other contents"))
        // The CLI follows the remedy with `--version`; the importer names no option.
        #expect(problems.description.hasSuffix("; \(LiteLLMImport.newVersionID)"))
    }

    @Test("a provider import passes over models priced other than per token; naming one is refused, by model")
    func unpriced() throws {
        let plan = try Self.importing(.provider("bedrock")).plan(litellm: Self.excerpt, current: PricingFixtures.valid)
        #expect(plan.skipped == ["twelvelabs.pegasus-1-2-v1:0"])
        #expect(
            plan.added.map(\.rawValue).sorted() == [
                "ai21.jamba-1-5-large-v1:0", "amazon.titan-text-premier-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0",
            ]
        )
        let problems = try #require(throws: PricingProblems.self) {
            try Self.importing(.models(["twelvelabs.pegasus-1-2-v1:0", "gpt-9", "amazon.titan-embed-text-v2:0"])).plan(
                litellm: Self.excerpt,
                current: PricingFixtures.valid
            )
        }
        #expect(problems.problems.count == 3)
        #expect(problems.problems[0].field == "twelvelabs.pegasus-1-2-v1:0.input_cost_per_token")
        #expect(problems.problems[0].description.contains("needs a per-token input price"))
        #expect(problems.problems[1].description.contains("'gpt-9' is not a chat model of this file"))
        #expect(!problems.description.contains("--"))
        #expect(problems.problems[2].field == "amazon.titan-embed-text-v2:0")
    }

    @Test("an unknown provider lists the file's providers")
    func unknownProvider() {
        let problems = #expect(throws: PricingProblems.self) {
            try Self.importing(.provider("openai")).plan(litellm: Self.excerpt, current: PricingFixtures.valid)
        }
        #expect(problems?.description.contains("unknown provider 'openai': this file's chat models come from bedrock, bedrock_converse") == true)
    }

    @Test("malformed entries are reported by model and field, and nothing is planned")
    func malformed() {
        let litellm = PricingFile(
            path: "l.json",
            contents: """
                { "a": { "litellm_provider": "x", "mode": "chat", "max_tokens": 10, "input_cost_per_token": 1e-16, "output_cost_per_token": 1e-06 },
                  "b": { "litellm_provider": "x", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06 },
                  "c": { "litellm_provider": "x", "mode": "chat", "max_tokens": 10, "input_cost_per_token": "1e-06", "output_cost_per_token": 1e-06 } }
                """
        )
        let problems = #expect(throws: PricingProblems.self) {
            try Self.importing(.models(["a", "b", "c"])).plan(litellm: litellm, current: PricingFixtures.valid)
        }
        #expect(problems?.problems.map(\.field) == ["a.input_cost_per_token", "b.max_output_tokens", "c.input_cost_per_token"])
        #expect(problems?.problems.first?.description.contains("1e-16 USD per token is not a whole number of nanos") == true)
        let broken = #expect(throws: PricingProblems.self) {
            try Self.importing(.models(["a"])).plan(litellm: PricingFile(path: "l.json", contents: "{ \"a\": "), current: PricingFixtures.valid)
        }
        #expect(broken?.description.contains("l.json: not valid JSON") == true)
    }

    @Test("a relay ratio that leaves a fraction of a nano is refused, naming the model; per-provider ratios override")
    func ratios() throws {
        let third = #expect(throws: PricingProblems.self) {
            try Self.importing(.models(["amazon.nova-lite-v1:0"]), ratio: 333_333_333).plan(litellm: Self.excerpt, current: PricingFixtures.valid)
        }
        #expect(third?.problems.first?.field == "amazon.nova-lite-v1:0.input")
        let plan = try Self.importing(
            .models(["amazon.nova-lite-v1:0", "ai21.jamba-1-5-large-v1:0"]),
            ratio: 500_000_000,
            providers: ["bedrock": 2_000_000_000]
        )
        .plan(litellm: Self.excerpt, current: PricingFixtures.valid)
        let version = try PricingTable.load(Self.applying(plan, to: PricingFixtures.valid)).priceVersion(at: Self.start)
        #expect(version.books[.relay]?["amazon.nova-lite-v1:0"]?.inputPerMillion == 30_000_000)
        #expect(version.books[.relay]?["ai21.jamba-1-5-large-v1:0"]?.inputPerMillion == 4_000_000_000)
    }

    @Test("a LiteLLM key that is a catalog alias prices the canonical model and adds no entry")
    func aliasKey() throws {
        let models = PricingFile(
            path: "models.json",
            contents: """
                { "models": { "gpt-4.1": { "provider": "openai", "max_output_tokens": 32768, "aliases": ["gpt-4.1-2025-04-14"], "counting": "o200k_base" },
                              "deepseek-v3.2": { "provider": "deepseek", "max_output_tokens": 8192 } } }
                """
        )
        let litellm = PricingFile(
            path: "l.json",
            contents: """
                { "gpt-4.1-2025-04-14": { "litellm_provider": "openai", "mode": "chat", "max_output_tokens": 32768, "input_cost_per_token": 2e-06, "cache_read_input_token_cost": 5e-07, "output_cost_per_token": 9e-06 },
                  "gpt-5-new": { "litellm_provider": "openai", "mode": "chat", "max_output_tokens": 128000, "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05 } }
                """
        )
        let current = [models] + PricingFixtures.valid.dropFirst()
        let plan = try Self.importing(.provider("openai")).plan(litellm: litellm, current: current)
        #expect(plan.priced == ["gpt-4.1", "gpt-5-new"])
        #expect(plan.added == ["gpt-5-new"])
        let table = try PricingTable.load(Self.applying(plan, to: current))
        #expect(try table.price(of: "gpt-4.1", in: .official, at: Self.start).price.outputPerMillion == 9_000_000_000)
        #expect(try table.catalog.model("gpt-5-new").counting == .exact(encoding: "o200k_base"))
    }
}
