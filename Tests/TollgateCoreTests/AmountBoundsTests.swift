import Testing

@testable import TollgateCore

@Suite("Bounds on amounts and token counts")
struct AmountBoundsTests {
    let expensive = ModelPrice(inputPerMillion: 1_000_000_000_000_000_000, cachedInputPerMillion: nil, outputPerMillion: 1_000_000_000_000_000_000)

    @Test("token counts above 10^12 are refused with the bound in the message")
    func tokenBound() throws {
        _ = try TokenUsage(inputTokens: TokenUsage.maximumCount, outputTokens: TokenUsage.maximumCount)
        let error = #expect(throws: MoneyError.self) { try TokenUsage(inputTokens: 0, outputTokens: 9_000_000_000_000_000) }
        #expect(error?.description.contains("10^12") == true)
        #expect(throws: MoneyError.self) { try TokenUsage(inputTokens: 1 << 62, outputTokens: 0) }
    }

    @Test("a cost beyond the bound is a typed error, not a trap")
    func costOverflow() throws {
        let usage = try TokenUsage(inputTokens: TokenUsage.maximumCount, outputTokens: TokenUsage.maximumCount)
        let error = #expect(throws: MoneyError.self) { try expensive.cost(of: usage) }
        #expect(error?.description.contains("1,000,000,000") == true)
        #expect(try expensive.cost(of: try TokenUsage(inputTokens: 1, outputTokens: 0)).nanos == 1_000_000_000_000)
    }

    @Test("an FX conversion beyond the bound throws; the bound itself converts")
    func conversionOverflow() throws {
        let rate = FXRate(cnyPerUSD: 7_300_000_000)
        #expect(throws: MoneyError.self) { try rate.toCNY(Money(nanos: Money.maximumNanos, .usd)) }
        #expect(throws: MoneyError.self) { try FXRate(cnyPerUSD: 1).toUSD(Money(nanos: Money.maximumNanos, .cny)) }
        #expect(try rate.toUSD(Money(nanos: Money.maximumNanos, .cny)).nanos < Money.maximumNanos)
    }

    @Test("typed amounts are at most 10^9 units either way")
    func parsingBound() throws {
        #expect(try Money(parsing: "1000000000", .usd).nanos == Money.maximumNanos)
        #expect(try Money(parsing: "-1000000000", .cny).nanos == -Money.maximumNanos)
        let error = #expect(throws: MoneyError.self) { try Money(parsing: "9000000000", .usd) }
        #expect(error?.description.contains("at most 1000000000 USD") == true)
        #expect(throws: MoneyError.self) { try Money(parsing: "1000000000.000000001", .usd) }
    }

    @Test("an absurd max_tokens is refused (or clamped) by admission instead of trapping")
    func absurdWorstCase() throws {
        let request = AdmissionRequest(
            price: expensive,
            relayRate: FXRate(cnyPerUSD: 7_300_000_000),
            prompt: try TokenUsage(inputTokens: 10, outputTokens: 0),
            maxOutputTokens: .max
        )
        let status = BudgetStatus(
            limit: try Money(parsing: "1000000000", .cny),
            spent: .zero(.cny),
            reserved: .zero(.cny),
            window: PeriodWindow(start: .distantPast, end: nil)
        )
        for policy in [ExhaustionPolicy.reject, .soft] {
            let decision = Admission.decide(request, status: status, policy: policy)
            #expect(decision.hold == nil, "\(policy) admitted an unpayable worst case")
        }
        // Clamping lowers max_tokens to what the budget affords, as for any worst case too large.
        let clamped = Admission.decide(request, status: status, policy: .clamp)
        #expect(try #require(clamped.hold) <= status.limit)
        #expect(try #require(clamped.maxOutputTokens) < 1_000_000)
    }

    @Test("percent used saturates for a spend far past a tiny limit")
    func percentSaturates() throws {
        let status = BudgetStatus(
            limit: Money(nanos: 1, .usd),
            spent: Money(nanos: Money.maximumNanos, .usd),
            reserved: .zero(.usd),
            window: PeriodWindow(start: .distantPast, end: nil)
        )
        #expect(status.percentUsedNanos > 0)
    }
}
