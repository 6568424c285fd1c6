/// An exchange rate from USD to CNY, in nano-CNY per whole USD (¥7.3 = 7_300_000_000).
public struct FXRate: Hashable, Sendable {
    /// CNY per USD, in nanos.
    public let cnyPerUSD: Int64

    /// Creates a rate; it must be positive.
    public init(cnyPerUSD: Int64) {
        precondition(cnyPerUSD > 0, "an FX rate must be positive")
        self.cnyPerUSD = cnyPerUSD
    }

    /// Converts USD to CNY exactly, rounding up to a whole nano-CNY (the rule in `ExactDivision`).
    public func toCNY(_ usd: Money) -> Money {
        precondition(usd.currency == .usd, "FXRate converts USD to CNY")
        let product = Int128(usd.nanos) * Int128(cnyPerUSD)
        return Money(nanos: ExactDivision.nanos(ExactDivision.ceiling(product, Int128(NanoDecimal.scale))), .cny)
    }

    /// Converts CNY to USD exactly, rounding up to a whole nano-USD.
    public func toUSD(_ cny: Money) -> Money {
        precondition(cny.currency == .cny, "FXRate converts CNY to USD")
        let product = Int128(cny.nanos) * Int128(NanoDecimal.scale)
        return Money(nanos: ExactDivision.nanos(ExactDivision.ceiling(product, Int128(cnyPerUSD))), .usd)
    }

    /// Expresses `amount` in `currency`, converting through this rate when they differ.
    public func convert(_ amount: Money, to currency: Currency) -> Money {
        switch (amount.currency, currency) {
        case (.usd, .cny): toCNY(amount)
        case (.cny, .usd): toUSD(amount)
        default: amount
        }
    }
}
