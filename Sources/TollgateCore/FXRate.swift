/// An exchange rate from USD to CNY, in nano-CNY per whole USD (¥7.3 = 7_300_000_000).
public struct FXRate: Hashable, Sendable {
    /// CNY per USD, in nanos.
    public let cnyPerUSD: Int64

    /// Creates a rate; it must be positive.
    public init(cnyPerUSD: Int64) {
        precondition(cnyPerUSD > 0, "an FX rate must be positive")
        self.cnyPerUSD = cnyPerUSD
    }

    /// Converts USD to CNY exactly, rounding up to a whole nano-CNY (the rule in `ExactDivision`);
    /// a result beyond `Money.maximumNanos` is an error.
    public func toCNY(_ usd: Money) throws(MoneyError) -> Money {
        precondition(usd.currency == .usd, "FXRate converts USD to CNY")
        let product = Int128(usd.nanos) * Int128(cnyPerUSD)
        return try Money(checked: ExactDivision.ceiling(product, Int128(NanoDecimal.scale)), .cny)
    }

    /// Converts CNY to USD exactly, rounding up to a whole nano-USD.
    public func toUSD(_ cny: Money) throws(MoneyError) -> Money {
        precondition(cny.currency == .cny, "FXRate converts CNY to USD")
        let product = Int128(cny.nanos) * Int128(NanoDecimal.scale)
        return try Money(checked: ExactDivision.ceiling(product, Int128(cnyPerUSD)), .usd)
    }

    /// Expresses `amount` in `currency`, converting through this rate when they differ; a result
    /// beyond `Money.maximumNanos` is an error.
    public func convert(_ amount: Money, to currency: Currency) throws(MoneyError) -> Money {
        switch (amount.currency, currency) {
        case (.usd, .cny): try toCNY(amount)
        case (.cny, .usd): try toUSD(amount)
        default: amount
        }
    }
}
