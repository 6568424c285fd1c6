import TollgateCore

extension KeyBudget {
    /// The budget stored in a key's `budget_*` columns (migration 0009 / postgres 0006), or `nil`
    /// when the key has none. A half-written set of columns (which the CLI never writes) reads as
    /// an error rather than as no budget, so a key is never left unlimited by accident.
    public static func stored(nanos: Int64?, currency: String?, period: String?) throws -> KeyBudget? {
        guard nanos != nil || currency != nil || period != nil else { return nil }
        guard let nanos, let currency, let period else {
            throw LedgerError(.rejected, "a key's budget columns are only partly set: set the key's budget again", problem: .partialKeyBudget)
        }
        return try KeyBudget(limit: Money(nanos: nanos, try Currency(code: currency)), period: BudgetPeriod(name: period))
    }
}
