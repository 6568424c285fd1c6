import TollgateCore

/// Whole-ledger totals two stores are compared on after a copy: rows per table and, per team,
/// entry counts, tokens and every stored money column.
public struct LedgerTotals: Hashable, Sendable, CustomStringConvertible {
    /// Per-team sums of the ledger entries.
    public struct TeamSums: Hashable, Sendable {
        /// Entries of the team.
        public var entries: Int64 = 0
        /// Input tokens of the team's entries.
        public var inputTokens: Int64 = 0
        /// Output tokens of the team's entries.
        public var outputTokens: Int64 = 0
        /// Summed charges, relay USD nanos.
        public var chargeUSD: Int64 = 0
        /// Summed charges, CNY nanos.
        public var chargeCNY: Int64 = 0
        /// Summed official USD nanos.
        public var officialUSD: Int64 = 0
        /// Summed baseline CNY nanos.
        public var baselineCNY: Int64 = 0

        /// All zero.
        public init() {}
    }

    /// Teams.
    public var teams = 0
    /// API keys, revoked ones included.
    public var keys = 0
    /// Open holds.
    public var openReservations = 0
    /// Money held by open holds, nanos of each hold's currency summed per currency code.
    public var heldNanos: [String: Int64] = [:]
    /// Entry sums by team id.
    public var byTeam: [Int64: TeamSums] = [:]

    /// All zero.
    public init() {}

    /// All entries, whatever the team.
    public var entries: Int64 { byTeam.values.reduce(0) { $0 + $1.entries } }

    public var description: String {
        let usd = byTeam.values.reduce(0) { $0 + $1.chargeUSD }, cny = byTeam.values.reduce(0) { $0 + $1.chargeCNY }
        return "\(teams) teams, \(keys) keys, \(entries) entries (\(Money(nanos: usd, .usd)), \(Money(nanos: cny, .cny))), \(openReservations) open holds"
    }
}
