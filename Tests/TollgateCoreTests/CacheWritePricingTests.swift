import Foundation
import Testing

@testable import TollgateCore

@Suite("Cache-write prices and cache-write tokens")
struct CacheWritePricingTests {
    /// Anthropic's claude-sonnet-4.5 list prices (anthropic.com/pricing), in nano-USD per MTok.
    static let sonnet = ModelPrice(
        inputPerMillion: 3_000_000_000,
        cachedInputPerMillion: 300_000_000,
        outputPerMillion: 15_000_000_000,
        cacheWrite5mPerMillion: 3_750_000_000,
        cacheWrite1hPerMillion: 6_000_000_000
    )

    @Test("each prompt part is billed at its own price, rounded up once for the whole record")
    func partsPricedApart() throws {
        // 1,000 uncached + 2,000 read + 3,000 written for 5 min + 4,000 written for 1 h, 500 output:
        // 1000×3 + 2000×0.30 + 3000×3.75 + 4000×6 + 500×15 = 3000 + 600 + 11250 + 24000 + 7500
        // = 46,350 USD per MTok-token → 0.04635 USD = 46,350,000 nanos.
        let usage = try TokenUsage(
            inputTokens: 10_000,
            cachedInputTokens: 2_000,
            cacheWrite5mTokens: 3_000,
            cacheWrite1hTokens: 4_000,
            outputTokens: 500
        )
        #expect(usage.uncachedInputTokens == 1_000)
        #expect(try Self.sonnet.cost(of: usage) == Money(nanos: 46_350_000, .usd))
        // One token of each: 3 + 0.3 + 3.75 + 6 + 15 = 28.05 USD/MTok = 28,050 nanos exactly.
        let one = try TokenUsage(inputTokens: 4, cachedInputTokens: 1, cacheWrite5mTokens: 1, cacheWrite1hTokens: 1, outputTokens: 1)
        #expect(try Self.sonnet.cost(of: one) == Money(nanos: 28_050, .usd))
    }

    @Test("a fraction of a nano is rounded up once, not per part")
    func roundingOnce() throws {
        let price = ModelPrice(
            inputPerMillion: 1,
            cachedInputPerMillion: nil,
            outputPerMillion: 1,
            cacheWrite5mPerMillion: 1,
            cacheWrite1hPerMillion: 1
        )
        // Four parts of one token at 1 nano per MTok: 4e-6 nanos in total, one nano after rounding
        // (rounding each part would have given four).
        let usage = try TokenUsage(inputTokens: 3, cacheWrite5mTokens: 1, cacheWrite1hTokens: 1, outputTokens: 1)
        #expect(try price.cost(of: usage) == Money(nanos: 1, .usd))
    }

    @Test("a model without cache-write prices bills written tokens at the input price")
    func absentPricesFallBackToInput() throws {
        let plain = ModelPrice(inputPerMillion: 2_000_000_000, cachedInputPerMillion: 500_000_000, outputPerMillion: 8_000_000_000)
        #expect(plain.cacheWrite5mPerMillion == nil && plain.cacheWrite1hPerMillion == nil)
        let written = try TokenUsage(inputTokens: 1_000, cacheWrite5mTokens: 400, cacheWrite1hTokens: 600, outputTokens: 0)
        let unwritten = try TokenUsage(inputTokens: 1_000, outputTokens: 0)
        #expect(try plain.cost(of: written) == plain.cost(of: unwritten))
        #expect(try plain.cost(of: written) == Money(nanos: 2_000_000, .usd))
        #expect(plain.worstInputPerMillion == 2_000_000_000)
    }

    @Test("usage without cache writes costs what it cost before cache-write prices existed")
    func noWritesNoChange() throws {
        let usage = try TokenUsage(inputTokens: 12_345, cachedInputTokens: 345, outputTokens: 678)
        // 12,000×3 + 345×0.30 + 678×15 = 36000 + 103.5 + 10170 = 46,273.5 USD/MTok → 46,273,500 nanos.
        #expect(try Self.sonnet.cost(of: usage) == Money(nanos: 46_273_500, .usd))
    }

    @Test("the worst prompt price is the highest of input and both cache writes")
    func worstInputPrice() {
        #expect(Self.sonnet.worstInputPerMillion == 6_000_000_000)
        let cheapWrites = ModelPrice(
            inputPerMillion: 5,
            cachedInputPerMillion: nil,
            outputPerMillion: 1,
            cacheWrite5mPerMillion: 4,
            cacheWrite1hPerMillion: nil
        )
        #expect(cheapWrites.worstInputPerMillion == 5)
    }

    @Test("cache-write tokens must not be negative")
    func negativeWrites() {
        #expect(throws: MoneyError.self) { try TokenUsage(inputTokens: 10, cacheWrite5mTokens: -1, outputTokens: 0) }
        #expect(throws: MoneyError.self) { try TokenUsage(inputTokens: 10, cacheWrite1hTokens: -1, outputTokens: 0) }
    }

    @Test("cached and cache-write tokens together are parts of the input, with a message saying so")
    func partsExceedInput() {
        do {
            _ = try TokenUsage(inputTokens: 10, cachedInputTokens: 4, cacheWrite5mTokens: 4, cacheWrite1hTokens: 4, outputTokens: 0)
            Issue.record("12 parts of 10 input tokens were accepted")
        } catch {
            #expect(error.description.contains("exceed input_tokens (10)"))
            #expect(error.description.contains("parts of the input"))
        }
        #expect(throws: MoneyError.self) { try TokenUsage(inputTokens: 10, cacheWrite1hTokens: 11, outputTokens: 0) }
        #expect(throws: MoneyError.self) {
            try TokenUsage(
                inputTokens: 1_000_000_000_000,
                cacheWrite5mTokens: 1_000_000_000_000,
                cacheWrite1hTokens: 1_000_000_000_000,
                outputTokens: 0
            )
        }
        #expect(
            (try? TokenUsage(inputTokens: 10, cachedInputTokens: 2, cacheWrite5mTokens: 3, cacheWrite1hTokens: 5, outputTokens: 0))?
                .uncachedInputTokens == 0
        )
    }

    @Test("an absurd cache-write count at an absurd price is a money error, not a trap")
    func costBeyondBound() throws {
        let price = ModelPrice(
            inputPerMillion: 1,
            cachedInputPerMillion: nil,
            outputPerMillion: 1,
            cacheWrite5mPerMillion: nil,
            cacheWrite1hPerMillion: Money.maximumNanos
        )
        let usage = try TokenUsage(inputTokens: TokenUsage.maximumCount, cacheWrite1hTokens: TokenUsage.maximumCount, outputTokens: 0)
        #expect(throws: MoneyError.self) { try price.cost(of: usage) }
    }

    // MARK: - Price files

    static func folder(claude entry: String) -> [PricingFile] {
        let models = PricingFile(
            path: "models.json",
            contents: """
                {"models": {"claude-sonnet-4.5": {"provider": "anthropic", "max_output_tokens": 64000}}}
                """
        )
        let prices = PricingFile(
            path: "prices/v1.json",
            contents: """
                {
                  "version": "v1",
                  "effective_from": "2026-10-01T00:00:00Z",
                  "supersedes": null,
                  "source": "test",
                  "books": {
                    "relay": {"claude-sonnet-4.5": \(entry)},
                    "official": {"claude-sonnet-4.5": \(entry)}
                  }
                }
                """
        )
        return [models, prices, PricingFixtures.fx("fx1", from: "2026-10-01T00:00:00Z")]
    }

    static func price(_ files: [PricingFile]) throws -> ModelPrice {
        let table = try PricingTable.load(files)
        return try table.priceVersions[0].price(of: ModelID(rawValue: "claude-sonnet-4.5"), in: .relay)
    }

    @Test("cache_write_5m and cache_write_1h are read as exact decimal strings")
    func loadsWritePrices() throws {
        let price = try Self.price(
            Self.folder(
                claude: """
                    {"input": "3.00", "cached_input": "0.30", "cache_write_5m": "3.75", "cache_write_1h": "6.000000001", "output": "15.00"}
                    """
            )
        )
        #expect(price.cacheWrite5mPerMillion == 3_750_000_000)
        #expect(price.cacheWrite1hPerMillion == 6_000_000_001)
    }

    @Test("cache-write prices are optional")
    func writePricesOptional() throws {
        let price = try Self.price(Self.folder(claude: #"{"input": "3.00", "output": "15.00"}"#))
        #expect(price.cacheWrite5mPerMillion == nil && price.cacheWrite1hPerMillion == nil)
        let onlyHour = try Self.price(Self.folder(claude: #"{"input": "3.00", "cache_write_1h": "6.00", "output": "15.00"}"#))
        #expect(onlyHour.cacheWrite5mPerMillion == nil && onlyHour.cacheWrite1hPerMillion == 6_000_000_000)
    }

    @Test("a cache-write price as a JSON number, negative or malformed is refused, naming the field")
    func badWritePrices() {
        let cases: [(String, PricingError.Code, String)] = [
            (#"{"input": "3.00", "cache_write_5m": 3.75, "output": "15.00"}"#, .malformed, "cache_write_5m"),
            (#"{"input": "3.00", "cache_write_1h": "-6.00", "output": "15.00"}"#, .negativeValue, "cache_write_1h"),
            (#"{"input": "3.00", "cache_write_5m": "three", "output": "15.00"}"#, .malformed, "cache_write_5m"),
            (#"{"input": "3.00", "cache_write_1h": "1.0000000001", "output": "15.00"}"#, .malformed, "cache_write_1h"),
        ]
        for (entry, code, field) in cases {
            let problems = PricingFixtures.problems(Self.folder(claude: entry))
            #expect(problems.count == 1, "\(entry): \(problems)")
            #expect(problems.first?.code == code, "\(entry)")
            #expect(problems.first?.field?.hasSuffix("claude-sonnet-4.5.\(field)") == true, "\(entry): \(String(describing: problems.first?.field))")
        }
    }

    @Test("the shipped price list carries Anthropic's published claude-sonnet-4.5 cache prices, with their source")
    func shippedSonnetPrices() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("pricing")
        var files: [PricingFile] = []
        for path in ["models.json", "prices/2025-10-01.json", "fx/2025-10-01.json"] {
            files.append(PricingFile(path: path, contents: try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)))
        }
        let version = try PricingTable.load(files).priceVersions[0]
        #expect(version.source.contains("anthropic.com/pricing"))
        #expect(version.source.contains("$3.75 5-minute cache write"))
        for book in PriceBook.allCases {
            let sonnet = try version.price(of: ModelID(rawValue: "claude-sonnet-4.5"), in: book)
            #expect(sonnet == Self.sonnet, "\(book)")
            let gpt = try version.price(of: ModelID(rawValue: "gpt-4.1"), in: book)
            #expect(gpt.cacheWrite5mPerMillion == nil && gpt.cacheWrite1hPerMillion == nil)
        }
    }
}
