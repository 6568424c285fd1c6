import TollgateCore

/// Whole-ledger totals two stores are compared on after a copy: rows per table and, per team,
/// entry counts, tokens and every stored money column.
public struct LedgerTotals: Hashable, Sendable, CustomStringConvertible {
    /// Teams.
    public var teams = 0
    /// API keys, revoked ones included.
    public var keys = 0
    /// Open holds.
    public var openReservations = 0
    /// Money held by open holds, nanos of each hold's currency summed per currency code.
    public var heldNanos: [String: Int64] = [:]
    /// Entry sums by team id: count, billed input and output tokens, and the four money columns
    /// (the other `UsageTotals` fields stay zero).
    public var byTeam: [Int64: UsageTotals] = [:]

    /// All zero.
    public init() {}

    /// All entries, whatever the team.
    public var entries: Int64 { byTeam.values.reduce(0) { $0 + $1.entries } }

    public var description: String {
        let usd = byTeam.values.reduce(0) { $0 + $1.chargeUSD.nanos }
        let cny = byTeam.values.reduce(0) { $0 + $1.chargeCNY.nanos }
        return
            "\(teams) teams, \(keys) keys, \(entries) entries (\(Money(nanos: usd, .usd)), \(Money(nanos: cny, .cny))), \(openReservations) open holds"
    }
}

extension LedgerTotals {
    /// One team's sums from the columns both engines' copy-check query returns, in its order:
    /// entries, input tokens, output tokens, then charge USD, charge CNY, official USD and
    /// baseline CNY nanos.
    public static func teamSums(
        _ entries: Int64,
        _ inputTokens: Int64,
        _ outputTokens: Int64,
        _ chargeUSD: Int64,
        _ chargeCNY: Int64,
        _ officialUSD: Int64,
        _ baselineCNY: Int64
    ) -> UsageTotals {
        var sums = UsageTotals()
        (sums.entries, sums.inputTokens, sums.outputTokens) = (entries, inputTokens, outputTokens)
        sums.chargeUSD = Money(nanos: chargeUSD, .usd)
        sums.chargeCNY = Money(nanos: chargeCNY, .cny)
        sums.officialUSD = Money(nanos: officialUSD, .usd)
        sums.baselineCNY = Money(nanos: baselineCNY, .cny)
        return sums
    }
}
