import TollgateCore

/// A team whose ledger entries add up beyond what an `Int64` count of nanos holds.
///
/// New entries can't get there (amounts and a team's net are bounded where they enter), but a
/// ledger written before those bounds, or edited by hand, can. Sums are computed wide so this is a
/// typed error about one team, never a failed query for everyone.
public struct LedgerSumOverflow: Error, Sendable, Equatable, CustomStringConvertible {
    /// The team whose entries overflow.
    public let teamID: Int64
    /// The currency column that overflows.
    public let currency: Currency
    /// The exact sum in nanos, when the store computed it.
    public let exactNanos: Int128?

    /// Creates the error.
    public init(teamID: Int64, currency: Currency, exactNanos: Int128?) {
        self.teamID = teamID
        self.currency = currency
        self.exactNanos = exactNanos
    }

    /// Facts only; the edge that shows it names the team and the fix.
    public var description: String {
        let sum = exactNanos.map { " (\($0 / Int128(NanoDecimal.scale)) \(currency.rawValue))" } ?? ""
        return "the ledger entries of team id \(teamID) add up beyond ±9223372036 \(currency.rawValue)\(sum)"
    }
}
