/// What one usage record costs in every view finance needs, with the versions that priced it.
///
/// Computed once when the entry is written and stored with it, so a later price change can never
/// move a past month.
public struct Valuation: Hashable, Sendable {
    /// The price version in force at the usage instant.
    public let priceVersion: String
    /// The FX version in force at the usage instant.
    public let fxVersion: String
    /// Relay list price in USD.
    public let relayUSD: Money
    /// Providers' official list price in USD.
    public let officialUSD: Money
    /// What the team pays: `relayUSD` at the relay FX rate.
    public let paidCNY: Money
    /// What it would cost bought directly: `officialUSD` at the baseline FX rate.
    public let baselineCNY: Money

    /// Creates a valuation.
    public init(priceVersion: String, fxVersion: String, relayUSD: Money, officialUSD: Money, paidCNY: Money, baselineCNY: Money) {
        self.priceVersion = priceVersion
        self.fxVersion = fxVersion
        self.relayUSD = relayUSD
        self.officialUSD = officialUSD
        self.paidCNY = paidCNY
        self.baselineCNY = baselineCNY
    }

    /// The charge against a budget kept in `currency`: list USD for USD budgets, paid CNY for CNY.
    public func charge(in currency: Currency) -> Money {
        currency == .usd ? relayUSD : paidCNY
    }
}
