import Foundation

/// Where a team's budget stands in one period.
public struct BudgetStatus: Hashable, Sendable {
    /// The limit for the period.
    public let limit: Money
    /// Settled charges minus credits in the period.
    public let spent: Money
    /// Held by streams still open.
    public let reserved: Money
    /// The period the numbers cover.
    public let window: PeriodWindow

    /// Creates a status; all amounts must share the limit's currency.
    public init(limit: Money, spent: Money, reserved: Money, window: PeriodWindow) {
        precondition(spent.currency == limit.currency && reserved.currency == limit.currency, "status amounts share the budget currency")
        self.limit = limit
        self.spent = spent
        self.reserved = reserved
        self.window = window
    }

    /// What new requests can still reserve: limit − spent − reserved, never below zero.
    public var available: Money {
        let left = limit - spent - reserved
        return left.nanos > 0 ? left : .zero(limit.currency)
    }

    /// Limit − spent; negative when a soft budget ran over.
    public var remaining: Money { limit - spent }

    /// Spent as a percent of the limit, rounded half up to two decimals, as nanos of a percent.
    public var percentUsedNanos: Int64 {
        let exact = Int128(spent.nanos) * 100 * Int128(NanoDecimal.scale) / Int128(limit.nanos)
        // A team far past a tiny limit would not fit; the display saturates instead of trapping.
        return NanoDecimal.rounded(Int64(clamping: exact), toFractionDigits: 2)
    }

    /// When the budget starts over, or `nil` for a total budget.
    public var resetsAt: Date? { window.end }
}
