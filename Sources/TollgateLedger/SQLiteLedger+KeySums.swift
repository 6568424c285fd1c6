import Foundation
import GRDB
import TollgateCore
import TollgateStorage

extension SQLiteLedger {
    public func keySums(across boundaries: [Date], teamID: Int64?) async throws -> [UsageSum] {
        let millis = boundaries.map(Timestamp.millis)
        let windows = zip(millis.indices, zip(millis, millis.dropFirst())).filter { $0.1.0 < $0.1.1 }
        return try await pool.read { db in
            var sums: [UsageSum] = []
            for start in stride(from: 0, to: windows.count, by: 400) {
                let chunk = windows[start..<min(start + 400, windows.count)]
                var values: [(any DatabaseValueConvertible)?] = [teamID]
                for (index, (lower, upper)) in chunk { values += [index, lower, upper] }
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        WITH w(idx, lo, hi) AS (VALUES \((0..<chunk.count).map { "(?\(3 * $0 + 2), ?\(3 * $0 + 3), ?\(3 * $0 + 4))" }.joined(separator: ", ")))
                        SELECT w.idx, e.team_id, e.model, e.kind, e.price_version, e.fx_version, e.key_id, \(UsageRollup.rawTotalsColumns)
                        FROM w JOIN \(UsageRollup.rawEntries) e ON e.occurred_at >= w.lo AND e.occurred_at < w.hi
                        WHERE (?1 IS NULL OR e.team_id = ?1)
                        GROUP BY 1, 2, 3, 4, 5, 6, 7
                        """,
                    arguments: StatementArguments(values)
                )
                while let row = try rows.next() {
                    let model: String = row[2]
                    let priceVersion: String = row[4]
                    let fxVersion: String = row[5]
                    sums.append(
                        UsageSum(
                            window: row[0],
                            teamID: row[1],
                            model: model.isEmpty ? nil : ModelID(rawValue: model),
                            kind: LedgerEntry.Kind(rawValue: row[3]) ?? .correction,
                            priceVersion: priceVersion.isEmpty ? nil : priceVersion,
                            fxVersion: fxVersion.isEmpty ? nil : fxVersion,
                            totals: UsageRollup.totals(row, from: 7),
                            keyID: row[6]
                        )
                    )
                }
            }
            return sums
        }
    }
}
