import Foundation
import GRDB
import TollgateCore
import TollgateStorage

extension SQLiteLedger: ReportStore {
    public func usageSums(across boundaries: [Date], teamID: Int64?) async throws -> [UsageSum] {
        let plan = WindowPlan(boundaries.map(Timestamp.millis))
        return try await pool.read { db in
            var merged: [SumKey: UsageTotals] = [:]
            for chunk in plan.rollupRanges.chunked(400) {
                try Self.collect(db, rollupSQL(chunk.count), chunk, teamID, into: &merged)
            }
            for chunk in plan.rawRanges.chunked(400) {
                try Self.collect(db, rawSQL(chunk.count), chunk, teamID, into: &merged)
            }
            return merged.map { key, totals in
                UsageSum(
                    window: key.window,
                    teamID: key.teamID,
                    model: key.model.isEmpty ? nil : ModelID(rawValue: key.model),
                    kind: LedgerEntry.Kind(rawValue: key.kind) ?? .correction,
                    priceVersion: key.priceVersion.isEmpty ? nil : key.priceVersion,
                    fxVersion: key.fxVersion.isEmpty ? nil : key.fxVersion,
                    totals: totals
                )
            }
        }
    }

    public func checkedEntries(from: Date, to: Date, limit: Int) async throws -> [LedgerEntry] {
        let (lower, upper) = Timestamp.bounds(from, to)
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM ledger_entries WHERE usage_check IS NOT NULL AND occurred_at >= ? AND occurred_at < ?
                    ORDER BY occurred_at, id LIMIT ?
                    """,
                arguments: [lower, upper, limit]
            ).map(Self.entry)
        }
    }

    public func outcomeCounts(_ outcomes: [String], from: Date, to: Date) async throws -> [OutcomeCount] {
        guard !outcomes.isEmpty else { return [] }
        let (lower, upper) = Timestamp.bounds(from, to)
        let marks = Array(repeating: "?", count: outcomes.count).joined(separator: ", ")
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT model, outcome, COUNT(*) AS entries FROM ledger_entries
                    WHERE occurred_at >= ? AND occurred_at < ? AND outcome IN (\(marks))
                    GROUP BY model, outcome ORDER BY model, outcome
                    """,
                arguments: StatementArguments([lower, upper] as [any DatabaseValueConvertible] + outcomes)
            ).map { OutcomeCount(model: $0["model"], outcome: $0["outcome"], entries: $0["entries"]) }
        }
    }

    public func verifyRollup(from: Date?, to: Date?) async throws -> RollupCheck {
        let (lower, upper) = Timestamp.bounds(from, to)
        let low = lower == Int64.min ? lower : UsageRollup.bucket(lower)
        let high = upper == Int64.max ? upper : UsageRollup.ceilingBoundary(upper)
        do {
            return try await pool.read { db in try Self.compareRollup(db, low, high) }
        } catch let error as DatabaseError where error.message == "integer overflow" {
            // SQLite's SUM refuses to wrap: one team's entries in this window overflow, which only a
            // ledger written before the amount bounds (or edited by hand) can hold.
            throw LedgerError(
                .sumOverflow,
                "the entries between \(Timestamp.date(low).formatted(.iso8601)) and \(Timestamp.date(high).formatted(.iso8601)) add up beyond what a 64-bit sum holds: "
                    + "a team's ledger overflows; the team list names it and the correcting entries that fix it",
                problem: .windowOverflow(from: Timestamp.date(low), to: Timestamp.date(high))
            )
        }
    }

    private static func compareRollup(_ db: Database, _ low: Int64, _ high: Int64) throws -> RollupCheck {
        let group = "GROUP BY 1, 2, 3, 4, 5, 6"
        let keyColumns = "bucket_start, team_id, model, kind, price_version, fx_version"
        let raw = try Self.keyedTotals(
            db,
            """
            SELECT \(keyColumns), \(UsageRollup.rawTotalsColumns) FROM \(UsageRollup.rawEntries)
            WHERE occurred_at >= ? AND occurred_at < ? \(group)
            """,
            low,
            high
        )
        let rollup = try Self.keyedTotals(
            db,
            """
            SELECT \(keyColumns), \(UsageRollup.totalsColumns) FROM usage_rollups
            WHERE bucket_start >= ? AND bucket_start < ? \(group)
            """,
            low,
            high
        )
        var check = RollupCheck(keysCompared: Set(raw.keys).union(rollup.keys).count)
        check.entriesCompared = raw.values.reduce(0) { $0 + $1.entries }
        for key in Set(raw.keys).union(rollup.keys).sorted(by: { ($0.bucket, $0.teamID) < ($1.bucket, $1.teamID) })
        where raw[key] != rollup[key] {
            guard check.mismatches.count < 100 else { break }
            let bucket = Timestamp.date(key.bucket).formatted(.iso8601)
            check.mismatches.append(
                "bucket \(bucket) team \(key.teamID) model '\(key.model)' \(key.kind) \(key.priceVersion)/\(key.fxVersion): "
                    + "entries say \(Self.describe(raw[key])), rollup says \(Self.describe(rollup[key]))"
            )
        }
        return check
    }

    public func entrySpan() async throws -> (first: Date, last: Date)? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT MIN(occurred_at), MAX(occurred_at) FROM ledger_entries"),
                let first = row[0] as Int64?, let last = row[1] as Int64?
            else { return nil }
            return (Timestamp.date(first), Timestamp.date(last))
        }
    }

    private func rollupSQL(_ windows: Int) -> String {
        """
        WITH w(idx, lo, hi) AS (VALUES \(Self.placeholders(windows)))
        SELECT w.idx, r.team_id, r.model, r.kind, r.price_version, r.fx_version, \(UsageRollup.totalsColumns)
        FROM w JOIN usage_rollups r ON r.bucket_start >= w.lo AND r.bucket_start < w.hi
        WHERE (?1 IS NULL OR r.team_id = ?1)
        GROUP BY 1, 2, 3, 4, 5, 6
        """
    }

    private func rawSQL(_ windows: Int) -> String {
        """
        WITH w(idx, lo, hi) AS (VALUES \(Self.placeholders(windows)))
        SELECT w.idx, e.team_id, e.model, e.kind, e.price_version, e.fx_version, \(UsageRollup.rawTotalsColumns)
        FROM w JOIN \(UsageRollup.rawEntries) e ON e.occurred_at >= w.lo AND e.occurred_at < w.hi
        WHERE (?1 IS NULL OR e.team_id = ?1)
        GROUP BY 1, 2, 3, 4, 5, 6
        """
    }

    /// `(?, ?, ?), ...` numbered after the team parameter `?1`.
    private static func placeholders(_ windows: Int) -> String {
        (0..<windows).map { "(?\(3 * $0 + 2), ?\(3 * $0 + 3), ?\(3 * $0 + 4))" }.joined(separator: ", ")
    }

    private static func collect(
        _ db: Database,
        _ sql: String,
        _ ranges: ArraySlice<WindowPlan.Range>,
        _ teamID: Int64?,
        into merged: inout [SumKey: UsageTotals]
    ) throws {
        var values: [(any DatabaseValueConvertible)?] = [teamID]
        for range in ranges { values += [range.window, range.lower, range.upper] }
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(values))
        while let row = try rows.next() {
            let key = SumKey(window: row[0], teamID: row[1], model: row[2], kind: row[3], priceVersion: row[4], fxVersion: row[5])
            merged[key, default: UsageTotals()] += UsageRollup.totals(row, from: 6)
        }
    }

    private static func keyedTotals(_ db: Database, _ sql: String, _ low: Int64, _ high: Int64) throws -> [UsageRollup.Key: UsageTotals] {
        var result: [UsageRollup.Key: UsageTotals] = [:]
        let rows = try Row.fetchCursor(db, sql: sql, arguments: [low, high])
        while let row = try rows.next() { result[UsageRollup.Key(row: row)] = UsageRollup.totals(row, from: 6) }
        return result
    }

    private static func describe(_ totals: UsageTotals?) -> String {
        guard let totals else { return "nothing" }
        return "\(totals.entries) entries, \(totals.inputTokens)/\(totals.outputTokens) tokens, \(totals.chargeUSD), \(totals.chargeCNY)"
    }
}

/// The key `usageSums` merges rollup and raw rows on.
private struct SumKey: Hashable {
    var window: Int
    var teamID: Int64
    var model: String
    var kind: String
    var priceVersion: String
    var fxVersion: String
}

extension Array {
    fileprivate func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
