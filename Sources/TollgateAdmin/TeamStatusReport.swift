import TollgateCore

/// Every team's budget status, with the teams whose ledger can't be summed listed apart.
public struct TeamStatusReport: Sendable {
    /// Teams whose status could be read.
    public var statuses: [TeamStatus] = []
    /// One `ledgerOverflow` error per team whose entries add up beyond `Int64` nanos, each naming
    /// the team and the correcting entry that fixes it.
    public var unreadable: [BudgetError] = []

    /// An empty report.
    public init() {}
}
