import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

extension PostgresLedger {
    public func keySums(across boundaries: [Date], teamID: Int64?) async throws -> [UsageSum] {
        let millis = boundaries.map(Timestamp.millis)
        let windows = zip(millis.indices, zip(millis, millis.dropFirst())).filter { $0.1.0 < $0.1.1 }
        return try await read("reading report sums per key") { [logger] connection in
            var sums: [UsageSum] = []
            for start in stride(from: 0, to: windows.count, by: 400) {
                let chunk = windows[start..<min(start + 400, windows.count)]
                var binds = PostgresBindings()
                binds.append(teamID)
                for (index, (lower, upper)) in chunk {
                    binds.append(Int64(index))
                    binds.append(lower)
                    binds.append(upper)
                }
                let rows = (0..<chunk.count).map { "($\(3 * $0 + 2)::BIGINT, $\(3 * $0 + 3)::BIGINT, $\(3 * $0 + 4)::BIGINT)" }
                let sql = """
                    WITH w(idx, lo, hi) AS (VALUES \(rows.joined(separator: ", ")))
                    SELECT w.idx, r.team_id, r.model, r.kind, r.price_version, r.fx_version, r.key_id, \(PostgresRollup.rawTotalsColumns)
                    FROM w JOIN \(PostgresRollup.rawEntries) r ON r.occurred_at >= w.lo AND r.occurred_at < w.hi
                    WHERE ($1::BIGINT IS NULL OR r.team_id = $1)
                    GROUP BY 1, 2, 3, 4, 5, 6, 7
                    """
                for row in try await connection.rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
                    let model = try row[2].decode(String.self)
                    let priceVersion = try row[4].decode(String.self)
                    let fxVersion = try row[5].decode(String.self)
                    sums.append(
                        UsageSum(
                            window: Int(try row[0].decode(Int64.self)),
                            teamID: try row[1].decode(Int64.self),
                            model: model.isEmpty ? nil : ModelID(rawValue: model),
                            kind: LedgerEntry.Kind(rawValue: try row[3].decode(String.self)) ?? .correction,
                            priceVersion: priceVersion.isEmpty ? nil : priceVersion,
                            fxVersion: fxVersion.isEmpty ? nil : fxVersion,
                            totals: try PostgresRollup.totals(row, from: 7),
                            keyID: try row[6].decode(Int64?.self)
                        )
                    )
                }
            }
            return sums
        }
    }
}
