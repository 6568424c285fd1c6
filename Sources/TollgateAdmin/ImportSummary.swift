import TollgateCore
import TollgateStorage

/// What an import wrote.
public struct ImportSummary: Sendable {
    /// Entries appended.
    public let count: Int
    /// Their total relay list cost in USD.
    public let totalUSD: Money
    /// Their total paid CNY.
    public let totalCNY: Money

    init(entries: [LedgerEntry]) {
        count = entries.count
        totalUSD = entries.reduce(.zero(.usd)) { $0 + $1.chargeUSD }
        totalCNY = entries.reduce(.zero(.cny)) { $0 + $1.chargeCNY }
    }
}
