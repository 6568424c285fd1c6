import Foundation
import TollgateCore

/// A partial update of a team's budget: `nil` fields keep their current value.
public struct BudgetChange: Sendable, Hashable {
    /// New limit amount, in `currency` (or the current currency).
    public var amount: String?
    /// New currency; changing it without an amount is refused (the number would change meaning).
    public var currency: Currency?
    /// New period.
    public var period: BudgetPeriod?
    /// New soft-limit percent; `.some(nil)` clears it.
    public var softLimitPercent: Int??
    /// New exhaustion policy.
    public var onExhausted: ExhaustionPolicy?
    /// New time zone for period boundaries.
    public var timeZone: TimeZone?
    /// New hold policy.
    public var hold: HoldPolicy?

    /// Creates a change.
    public init(
        amount: String? = nil,
        currency: Currency? = nil,
        period: BudgetPeriod? = nil,
        softLimitPercent: Int?? = nil,
        onExhausted: ExhaustionPolicy? = nil,
        timeZone: TimeZone? = nil,
        hold: HoldPolicy? = nil
    ) {
        self.amount = amount
        self.currency = currency
        self.period = period
        self.softLimitPercent = softLimitPercent
        self.onExhausted = onExhausted
        self.timeZone = timeZone
        self.hold = hold
    }

    /// Whether the change changes nothing.
    public var isEmpty: Bool {
        amount == nil && currency == nil && period == nil && softLimitPercent == nil && onExhausted == nil && timeZone == nil && hold == nil
    }

    /// The budget with this change applied, validated like a new budget.
    public func applied(to budget: Budget) throws -> Budget {
        guard !isEmpty else {
            throw BudgetError(
                .invalidInput,
                "nothing to change: give the amount, currency, period, soft limit, policy when exhausted, time zone or hold policy",
                problem: .nothingToChange
            )
        }
        if currency != nil, currency != budget.limit.currency, amount == nil {
            throw BudgetError(
                .invalidInput,
                "changing the currency needs a new budget amount in that currency",
                problem: .currencyChangeWithoutAmount
            )
        }
        let limitCurrency = currency ?? budget.limit.currency
        let limit = try amount.map { text throws(MoneyError) in try Money(parsing: text, limitCurrency) } ?? budget.limit
        return try Budget(
            limit: limit,
            period: period ?? budget.period,
            softLimitPercent: softLimitPercent ?? budget.softLimitPercent,
            onExhausted: onExhausted ?? budget.onExhausted,
            timeZone: timeZone ?? budget.timeZone,
            hold: hold ?? budget.hold
        )
    }
}
