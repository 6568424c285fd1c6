import Foundation

/// What a batch of new entries adds to one budget counter (a team's spend in one window).
///
/// Both ledgers sum a batch in memory first and then update each counter once, in key order (so
/// two PostgreSQL replicas updating the same counters take their row locks in the same order).
package struct CounterIncrement: Equatable, Sendable {
    package let teamID: Int64
    package let windowStart: Int64
    package let windowEnd: Int64
    package let usdNanos: Int64
    package let cnyNanos: Int64

    /// The increments of every counter in `windows` (per team, `[start, end)` in ms) that holds one
    /// of `entries`, sorted by team, start and end; counters no entry falls in are left out.
    package static func of(_ entries: [LedgerEntry], windows: [Int64: [(start: Int64, end: Int64)]]) -> [CounterIncrement] {
        struct Key: Hashable { let team: Int64, start: Int64, end: Int64 }
        var sums: [Key: (usd: Int64, cny: Int64)] = [:]
        for entry in entries {
            let at = Timestamp.millis(entry.occurredAt)
            for window in windows[entry.teamID] ?? [] where window.start <= at && at < window.end {
                let key = Key(team: entry.teamID, start: window.start, end: window.end)
                let sum = sums[key] ?? (0, 0)
                sums[key] = (sum.usd + entry.chargeUSD.nanos, sum.cny + entry.chargeCNY.nanos)
            }
        }
        return sums.map { key, sum in
            CounterIncrement(teamID: key.team, windowStart: key.start, windowEnd: key.end, usdNanos: sum.usd, cnyNanos: sum.cny)
        }.sorted { ($0.teamID, $0.windowStart, $0.windowEnd) < ($1.teamID, $1.windowStart, $1.windowEnd) }
    }
}
