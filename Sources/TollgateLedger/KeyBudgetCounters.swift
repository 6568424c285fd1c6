import GRDB
import TollgateStorage

/// Running spend per key and budget window (`key_budget_counters`, migration 0009), as
/// `BudgetCounters` keeps it per team: admission creates a key's counter from a SUM of its entries
/// (`SQLiteLedger.keySpentNanos`), and every later entry of the key adds to each counter whose window
/// holds it, in the inserting transaction. Summed per counter per batch since migration 0014 dropped
/// the per-entry trigger; entries without a key cost nothing.
enum KeyBudgetCounters {
    /// Adds freshly inserted entries to every counter of their key whose window contains them.
    static func add(_ entries: [LedgerEntry], into db: Database) throws {
        let keys = Set(entries.compactMap(\.keyID))
        guard !keys.isEmpty else { return }
        struct Counter: Hashable {
            let keyID: Int64
            let start: Int64
            let end: Int64
        }
        var windows: [Int64: [(start: Int64, end: Int64)]] = [:]
        let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ",")
        for row in try Row.fetchAll(
            db,
            sql: "SELECT key_id, window_start, window_end FROM key_budget_counters WHERE key_id IN (\(placeholders))",
            arguments: StatementArguments(Array(keys))
        ) {
            windows[row["key_id"], default: []].append((row["window_start"], row["window_end"]))
        }
        guard !windows.isEmpty else { return }
        var sums: [Counter: (usd: Int64, cny: Int64)] = [:]
        for entry in entries {
            guard let keyID = entry.keyID else { continue }
            let at = Timestamp.millis(entry.occurredAt)
            for window in windows[keyID] ?? [] where window.start <= at && at < window.end {
                let counter = Counter(keyID: keyID, start: window.start, end: window.end)
                let sum = sums[counter] ?? (0, 0)
                sums[counter] = (sum.usd + entry.chargeUSD.nanos, sum.cny + entry.chargeCNY.nanos)
            }
        }
        let update = try db.cachedStatement(
            sql: """
                UPDATE key_budget_counters SET spent_usd_nanos = spent_usd_nanos + ?, spent_cny_nanos = spent_cny_nanos + ?
                WHERE key_id = ? AND window_start = ? AND window_end = ?
                """
        )
        for (counter, sum) in sums.sorted(by: { ($0.key.keyID, $0.key.start, $0.key.end) < ($1.key.keyID, $1.key.start, $1.key.end) }) {
            try update.execute(arguments: [sum.usd, sum.cny, counter.keyID, counter.start, counter.end])
        }
    }
}
