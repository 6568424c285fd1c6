import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

extension PostgresLedger {
    public func usageSums(across boundaries: [Date], teamID: Int64?) async throws -> [UsageSum] {
        let plan = WindowPlan(boundaries.map(Timestamp.millis))
        return try await read("reading report sums") { [logger] connection in
            var merged: [UsageRollup.Key: UsageTotals] = [:]
            // Whole buckets from the rollup, unaligned edges from the raw entries.
            let sources = [
                (plan.rollupRanges, "usage_rollups", "bucket_start", PostgresRollup.totalsColumns),
                (plan.rawRanges, PostgresRollup.rawEntries, "occurred_at", PostgresRollup.rawTotalsColumns),
            ]
            for (ranges, table, column, totals) in sources {
                for start in stride(from: 0, to: ranges.count, by: 400) {
                    let chunk = ranges[start..<min(start + 400, ranges.count)]
                    let rows = (0..<chunk.count).map { "($\(3 * $0 + 2)::BIGINT, $\(3 * $0 + 3)::BIGINT, $\(3 * $0 + 4)::BIGINT)" }
                    var binds = PostgresBindings()
                    binds.append(teamID)
                    for range in chunk {
                        binds.append(Int64(range.window))
                        binds.append(range.lower)
                        binds.append(range.upper)
                    }
                    let sql = """
                        WITH w(idx, lo, hi) AS (VALUES \(rows.joined(separator: ", ")))
                        SELECT w.idx, r.team_id, r.model, r.kind, r.price_version, r.fx_version, \(totals)
                        FROM w JOIN \(table) r ON r.\(column) >= w.lo AND r.\(column) < w.hi
                        WHERE ($1::BIGINT IS NULL OR r.team_id = $1)
                        GROUP BY 1, 2, 3, 4, 5, 6
                        """
                    for row in try await connection.rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
                        let key = try Self.sumKey(row)
                        merged[key, default: UsageTotals()] += try PostgresRollup.totals(row, from: 6)
                    }
                }
            }
            return merged.map { key, totals in
                UsageSum(
                    window: Int(key.bucket),
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

    /// The six key columns of a sums row (the first holds the window index or the bucket).
    private static func sumKey(_ row: PostgresRandomAccessRow) throws -> UsageRollup.Key {
        UsageRollup.Key(
            bucket: try row[0].decode(Int64.self),
            teamID: try row[1].decode(Int64.self),
            model: try row[2].decode(String.self),
            kind: try row[3].decode(String.self),
            priceVersion: try row[4].decode(String.self),
            fxVersion: try row[5].decode(String.self)
        )
    }

    public func checkedEntries(from: Date, to: Date, limit: Int) async throws -> [LedgerEntry] {
        let (lower, upper) = Timestamp.bounds(from, to)
        return try await read("reading checked entries") { [logger] connection in
            try await connection.rows(
                .sql(
                    """
                    SELECT * FROM ledger_entries WHERE usage_check IS NOT NULL AND occurred_at >= $1 AND occurred_at < $2
                    ORDER BY occurred_at, id LIMIT $3
                    """
                ) {
                    $0.append(lower)
                    $0.append(upper)
                    $0.append(Int64(limit))
                },
                logger: logger
            ).map(Self.entry)
        }
    }

    public func outcomeCounts(_ outcomes: [String], from: Date, to: Date) async throws -> [OutcomeCount] {
        guard !outcomes.isEmpty else { return [] }
        let (lower, upper) = Timestamp.bounds(from, to)
        let marks = (0..<outcomes.count).map { "$\($0 + 3)" }.joined(separator: ", ")
        var binds = PostgresBindings()
        binds.append(lower)
        binds.append(upper)
        for outcome in outcomes { binds.append(outcome) }
        let sql = """
            SELECT model, outcome, COUNT(*) AS entries FROM ledger_entries
            WHERE occurred_at >= $1 AND occurred_at < $2 AND outcome IN (\(marks))
            GROUP BY model, outcome ORDER BY model, outcome
            """
        return try await read("counting outcomes") { [logger, binds] connection in
            try await connection.rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).map { row in
                OutcomeCount(model: try row.optionalText("model"), outcome: try row.text("outcome"), entries: try row.int64("entries"))
            }
        }
    }

    public func verifyRollup(from: Date?, to: Date?) async throws -> RollupCheck {
        let (lower, upper) = Timestamp.bounds(from, to)
        let low = lower == Int64.min ? lower : UsageRollup.bucket(lower)
        let high = upper == Int64.max ? upper : UsageRollup.ceilingBoundary(upper)
        return try await read("verifying the rollup") { [logger] connection in
            let keyColumns = "bucket_start, team_id, model, kind, price_version, fx_version"
            func keyed(_ sql: String) async throws -> [UsageRollup.Key: UsageTotals] {
                var result: [UsageRollup.Key: UsageTotals] = [:]
                for row in try await connection.rows(
                    .sql(sql) {
                        $0.append(low)
                        $0.append(high)
                    },
                    logger: logger
                ) {
                    result[try Self.sumKey(row)] = try PostgresRollup.totals(row, from: 6)
                }
                return result
            }
            let raw = try await keyed(
                """
                SELECT \(keyColumns), \(PostgresRollup.rawTotalsColumns) FROM \(PostgresRollup.rawEntries) e
                WHERE occurred_at >= $1 AND occurred_at < $2 GROUP BY 1, 2, 3, 4, 5, 6
                """
            )
            let rollup = try await keyed(
                """
                SELECT \(keyColumns), \(PostgresRollup.totalsColumns) FROM usage_rollups
                WHERE bucket_start >= $1 AND bucket_start < $2 GROUP BY 1, 2, 3, 4, 5, 6
                """
            )
            var check = RollupCheck(keysCompared: Set(raw.keys).union(rollup.keys).count)
            check.entriesCompared = raw.values.reduce(0) { $0 + $1.entries }
            for key in Set(raw.keys).union(rollup.keys).sorted(by: { ($0.bucket, $0.teamID) < ($1.bucket, $1.teamID) })
            where raw[key] != rollup[key] {
                guard check.mismatches.count < 100 else { break }
                check.mismatches.append(
                    "bucket \(Timestamp.date(key.bucket).formatted(.iso8601)) team \(key.teamID) model '\(key.model)' \(key.kind) "
                        + "\(key.priceVersion)/\(key.fxVersion): entries say \(Self.describe(raw[key])), rollup says \(Self.describe(rollup[key]))"
                )
            }
            return check
        }
    }

    private static func describe(_ totals: UsageTotals?) -> String {
        guard let totals else { return "nothing" }
        return "\(totals.entries) entries, \(totals.inputTokens)/\(totals.outputTokens) tokens, \(totals.chargeUSD), \(totals.chargeCNY)"
    }

    public func entrySpan() async throws -> (first: Date, last: Date)? {
        try await read("reading the ledger's span") { [logger] connection in
            let row = try await connection.rows("SELECT MIN(occurred_at) AS first, MAX(occurred_at) AS last FROM ledger_entries", logger: logger)[0]
            guard let first = try row.optionalInt64("first"), let last = try row.optionalInt64("last") else { return nil }
            return (Timestamp.date(first), Timestamp.date(last))
        }
    }
}
