import Testing

@testable import TollgateCore

@Suite("Money, prices and FX")
struct MoneyTests {
    let gpt41 = ModelPrice(inputPerMillion: 2_000_000_000, cachedInputPerMillion: 500_000_000, outputPerMillion: 8_000_000_000)

    @Test("money adds, subtracts and compares within one currency")
    func arithmetic() throws {
        let a = try Money(parsing: "10.25", .usd)
        let b = try Money(parsing: "0.75", .usd)
        #expect((a + b).decimalString == "11.00")
        #expect((a - b).decimalString == "9.50")
        #expect((-a).nanos == -10_250_000_000)
        #expect(b < a)
        #expect(a.description == "10.25 USD")
    }

    @Test("currency codes parse case-insensitively; unknown codes list the valid ones")
    func currencies() throws {
        #expect(try Currency(code: "cny") == .cny)
        #expect(throws: MoneyError("unknown currency 'EUR': use one of USD, CNY")) { try Currency(code: "EUR") }
    }

    @Test("cost of 1M output tokens is exactly the list price")
    func listPrice() throws {
        #expect(try gpt41.cost(of: try TokenUsage(inputTokens: 0, outputTokens: 1_000_000)).decimalString == "8.00")
        let deepseek = ModelPrice(inputPerMillion: 280_000_000, cachedInputPerMillion: 28_000_000, outputPerMillion: 420_000_000)
        #expect(try deepseek.cost(of: try TokenUsage(inputTokens: 0, outputTokens: 1)).nanos == 420)
        #expect(try deepseek.cost(of: try TokenUsage(inputTokens: 1, cachedInputTokens: 1, outputTokens: 0)).nanos == 28)
    }

    @Test("cached tokens are billed at the cached price, the rest at input price")
    func cachedInput() throws {
        let usage = try TokenUsage(inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 0)
        #expect(try gpt41.cost(of: usage).decimalString == "1.40")  // 0.6M × $2 + 0.4M × $0.50
        let uncachedModel = ModelPrice(inputPerMillion: 3_000_000_000, cachedInputPerMillion: nil, outputPerMillion: 0)
        #expect(try uncachedModel.cost(of: usage).decimalString == "3.00")
    }

    @Test("fractional nanos round up, once per entry, by less than one nano")
    func roundsUpOnce() throws {
        let odd = ModelPrice(inputPerMillion: 1, cachedInputPerMillion: nil, outputPerMillion: 3)
        #expect(try odd.cost(of: try TokenUsage(inputTokens: 1, outputTokens: 1)).nanos == 1)  // 4/1e6 nano → 1
        #expect(try odd.cost(of: try TokenUsage(inputTokens: 0, outputTokens: 0)).nanos == 0)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let price = ModelPrice(
                inputPerMillion: Int64.random(in: 0...20_000_000_000, using: &generator),
                cachedInputPerMillion: nil,
                outputPerMillion: Int64.random(in: 0...80_000_000_000, using: &generator)
            )
            let input = Int.random(in: 0...2_000_000, using: &generator)
            let output = Int.random(in: 0...200_000, using: &generator)
            let exactTimesMillion = Int128(input) * Int128(price.inputPerMillion) + Int128(output) * Int128(price.outputPerMillion)
            let cost = Int128(try price.cost(of: TokenUsage(inputTokens: input, outputTokens: output)).nanos)
            #expect(cost * 1_000_000 >= exactTimesMillion)
            #expect((cost - 1) * 1_000_000 < exactTimesMillion)
        }
    }

    @Test("token usage rejects negative counts and cached tokens above input")
    func usageValidation() {
        #expect(throws: MoneyError.self) { try TokenUsage(inputTokens: -1, outputTokens: 0) }
        #expect(throws: MoneyError.self) { try TokenUsage(inputTokens: 5, cachedInputTokens: 6, outputTokens: 0) }
    }

    @Test("the worked savings check: $500 → ¥500 paid, ¥3,650 baseline, ¥3,150 saved")
    func workedSavings() throws {
        let usd = try Money(parsing: "500", .usd)
        let paid = try FXRate(cnyPerUSD: 1_000_000_000).toCNY(usd)
        let baseline = try FXRate(cnyPerUSD: 7_300_000_000).toCNY(usd)
        #expect(paid.decimalString == "500.00")
        #expect(baseline.decimalString == "3650.00")
        #expect((baseline - paid).decimalString == "3150.00")
    }

    @Test("FX conversion rounds up to the nano and converts back")
    func fxRounding() throws {
        let rate = FXRate(cnyPerUSD: 7_300_000_000)
        #expect(try rate.toCNY(Money(nanos: 1, .usd)).nanos == 8)  // 7.3 → 8
        #expect(try rate.toUSD(Money(nanos: 73, .cny)).nanos == 10)
        #expect(try rate.convert(Money(nanos: 5, .usd), to: .usd).nanos == 5)
        #expect(try rate.toCNY(Money(nanos: -10, .usd)).nanos == -73)
    }

    @Test("affordable output tokens never cost more than the amount")
    func affordableTokens() throws {
        let prompt = try TokenUsage(inputTokens: 1000, outputTokens: 0)
        let budget = try Money(parsing: "0.01", .usd)
        let tokens = gpt41.affordableOutputTokens(with: budget, afterPrompt: prompt)
        #expect(tokens == 1000)  // $0.01 − 1000 × $2/M = $0.008 → 1000 tokens at $8/M
        let withTokens = try TokenUsage(inputTokens: 1000, outputTokens: tokens)
        #expect(try gpt41.cost(of: withTokens) <= budget)
        #expect(gpt41.affordableOutputTokens(with: Money(nanos: 100, .usd), afterPrompt: prompt) == 0)
    }
}
