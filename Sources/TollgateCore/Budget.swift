import Foundation

/// A team's spending limit and how it behaves.
public struct Budget: Hashable, Sendable {
    /// The limit per period, in the currency the team pays in.
    public var limit: Money
    /// When the limit starts over.
    public var period: BudgetPeriod
    /// Percent of the limit at which an alert fires before the limit is reached (1...100).
    public var softLimitPercent: Int?
    /// What to do with a request the budget can't cover.
    public var onExhausted: ExhaustionPolicy
    /// Time zone whose calendar draws the period boundaries.
    public var timeZone: TimeZone
    /// How much output an admission holds up front: `max_tokens`, or the team's expected output.
    public var hold: HoldPolicy

    /// Creates a budget, rejecting a non-positive limit or an out-of-range soft limit.
    public init(
        limit: Money,
        period: BudgetPeriod,
        softLimitPercent: Int? = nil,
        onExhausted: ExhaustionPolicy = .reject,
        timeZone: TimeZone = .gmt,
        hold: HoldPolicy = .worstCase
    ) throws(BudgetError) {
        guard limit.isPositive else {
            throw BudgetError(.invalidInput, "budget must be above zero, got \(limit.decimalString): give a positive amount like 500")
        }
        if let percent = softLimitPercent, !(1...100).contains(percent) {
            throw BudgetError(.invalidInput, "soft limit must be a percent from 1 to 100, got \(percent)")
        }
        self.limit = limit
        self.period = period
        self.softLimitPercent = softLimitPercent
        self.onExhausted = onExhausted
        self.timeZone = timeZone
        self.hold = hold
    }

    /// The current period at `instant`.
    public func window(at instant: Date) -> PeriodWindow {
        period.window(containing: instant, timeZone: timeZone)
    }
}
