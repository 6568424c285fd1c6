import Foundation

/// One API key's own spending limit, under its team's: a request needs room in both.
///
/// It is in the team budget's currency (holds are kept in that currency) and its period is drawn
/// in the team's time zone, so a key's month and its team's month start together.
public struct KeyBudget: Hashable, Sendable {
    /// The limit per period.
    public var limit: Money
    /// When the limit starts over.
    public var period: BudgetPeriod

    /// Creates a key budget, rejecting a non-positive limit.
    public init(limit: Money, period: BudgetPeriod) throws(BudgetError) {
        guard limit.isPositive else {
            throw BudgetError(
                .invalidInput,
                "key budget must be above zero, got \(limit.decimalString): give a positive amount like 50, or remove the budget"
            )
        }
        self.limit = limit
        self.period = period
    }

    /// Checks that the key budget can sit under `team`'s budget: same currency.
    public func validate(under team: Budget) throws(BudgetError) {
        guard limit.currency == team.limit.currency else {
            throw BudgetError(
                .invalidInput,
                "a key budget must be in its team's currency (\(team.limit.currency.rawValue)), got \(limit.currency.rawValue): give the amount in \(team.limit.currency.rawValue)"
            )
        }
    }

    /// The key's current period at `instant`, on `timeZone`'s calendar (the team's).
    public func window(at instant: Date, timeZone: TimeZone) -> PeriodWindow {
        period.window(containing: instant, timeZone: timeZone)
    }
}
