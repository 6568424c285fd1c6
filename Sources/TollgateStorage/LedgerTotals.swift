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
    /// Entry sums by team id: count, billed input and output tokens, their cached, cache-write and
    /// reasoning parts, and the four money columns (the reconciliation fields stay zero).
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
    /// baseline CNY nanos, then the cached, 5-minute and 1-hour cache-write and reasoning token sums
    /// (without the parts, a copy that dropped one — as `ledger import` once dropped cache writes —
    /// would still match).
    public static func teamSums(
        _ entries: Int64,
        _ inputTokens: Int64,
        _ outputTokens: Int64,
        _ chargeUSD: Int64,
        _ chargeCNY: Int64,
        _ officialUSD: Int64,
        _ baselineCNY: Int64,
        parts: (cached: Int64, cacheWrite5m: Int64, cacheWrite1h: Int64, reasoning: Int64)
    ) -> UsageTotals {
        var sums = UsageTotals()
        (sums.entries, sums.inputTokens, sums.outputTokens) = (entries, inputTokens, outputTokens)
        (sums.cachedInputTokens, sums.cacheWrite5mTokens, sums.cacheWrite1hTokens, sums.reasoningTokens) = parts
        sums.chargeUSD = Money(nanos: chargeUSD, .usd)
        sums.chargeCNY = Money(nanos: chargeCNY, .cny)
        sums.officialUSD = Money(nanos: officialUSD, .usd)
        sums.baselineCNY = Money(nanos: baselineCNY, .cny)
        return sums
    }
}
