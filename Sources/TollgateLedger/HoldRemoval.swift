import Foundation
import GRDB
import GRDBSQLite
import TollgateStorage

/// Deletes holds by id, several per statement, and returns which existed, keeping the open-hold
/// totals and the rate buckets (`HoldTotals`, `RateBuckets`) from what each deleted row held.
///
/// Why `DELETE … WHERE id IN (…) RETURNING`: a settlement batch deleted its holds one statement
/// each and asked SQLite how many rows changed after each; a block of ids is one statement, and the
/// returned rows say both which holds were still there (a hold already gone was settled by a
/// reclaim, and writing its entry would bill twice) and what the totals lose. Bound through the C
/// API from one text buffer, like `EntryInsertion`.
struct HoldRemoval {
    /// Ids per statement, largest first, as `EntryInsertion.blockSizes`.
    static let blockSizes = [128, 16, 1]

    private let statements: [(ids: Int, handle: SQLiteStatement)]
    private let connection: SQLiteConnection?

    init(database: Database) throws {
        statements = try Self.blockSizes.map { ids in
            (ids, try database.cachedStatement(sql: Self.sql(ids: ids)).sqliteStatement)
        }
        connection = database.sqliteConnection
    }

    /// The DELETE for `ids` holds at once.
    static func sql(ids: Int) -> String {
        """
        DELETE FROM reservations WHERE id IN (\(Array(repeating: "?", count: ids).joined(separator: ", ")))
        RETURNING id, team_id, currency, held_nanos, key_id, occurred_at, estimated_tokens
        """
    }

    /// Deletes the holds with these ids and returns the ids that existed; what they held leaves
    /// `totals` and `buckets`, which the caller writes before its transaction commits.
    func remove(_ ids: [String], totals: inout HoldTotals, buckets: inout RateBuckets.Changes) throws -> Set<String> {
        var removed = Set<String>(minimumCapacity: ids.count)
        var start = ids.startIndex
        for (size, handle) in statements {
            while ids.endIndex - start >= size {
                try step(handle, ids[start..<start + size], into: &removed, totals: &totals, buckets: &buckets)
                start += size
            }
        }
        return removed
    }

    private func step(
        _ handle: SQLiteStatement,
        _ ids: ArraySlice<String>,
        into removed: inout Set<String>,
        totals: inout HoldTotals,
        buckets: inout RateBuckets.Changes
    ) throws {
        var texts = TextArena()
        texts.bytes.reserveCapacity(ids.count * 40)
        texts.slots.reserveCapacity(ids.count)
        for (offset, id) in ids.enumerated() { texts.add(Int32(offset + 1), id, or: handle) }
        let code = texts.withBound(handle) { () -> Int32 in
            var code = sqlite3_step(handle)
            while code == SQLITE_ROW {
                removed.insert(String(cString: sqlite3_column_text(handle, 0)))
                let teamID = sqlite3_column_int64(handle, 1)
                let currency = String(cString: sqlite3_column_text(handle, 2))
                totals.add(teamID: teamID, currency: currency, nanos: -sqlite3_column_int64(handle, 3), holds: -1)
                let keyID = sqlite3_column_type(handle, 4) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 4)
                let estimate = sqlite3_column_type(handle, 6) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 6)
                buckets.unhold(teamID: teamID, keyID: keyID, occurredAt: sqlite3_column_int64(handle, 5), estimatedTokens: estimate)
                code = sqlite3_step(handle)
            }
            return code
        }
        guard code == SQLITE_DONE else {
            let message = connection.flatMap { sqlite3_errmsg($0).map { String(cString: $0) } }
            throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)), message: message)
        }
    }
}
