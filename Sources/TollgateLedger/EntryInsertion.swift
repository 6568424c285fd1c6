import Foundation
import GRDB
import GRDBSQLite
import TollgateStorage

/// Binds ledger entries straight onto GRDB's cached prepared INSERTs through the SQLite C API.
///
/// Why not `StatementArguments`: boxing 27 values per row in existentials cost about a third of
/// the append time, and the ledger-append benchmark missed its 200k rows/s target because of it.
/// Why several rows per statement: every step of an INSERT opens and closes a cursor on the table
/// and on each of its indexes and checks the team's foreign key; one multi-row `VALUES` step pays
/// that once per block. This type only binds and steps inside a transaction GRDB opened, and
/// always leaves each statement reset and its bindings cleared, so GRDB's later use of the cached
/// statements is unaffected.
struct EntryInsertion {
    /// Rows per multi-row statement, largest first; a batch takes the largest blocks that fit, so
    /// any batch size needs at most a few single-row steps. 128 rows are 3,456 parameters, far
    /// below SQLite's limit; larger blocks measured no faster.
    static let blockSizes = [128, 16, 1]
    private static let columnCount: Int32 = 27

    private let statements: [(rows: Int, handle: SQLiteStatement)]
    private let connection: SQLiteConnection?

    init(database: Database) throws {
        statements = try Self.blockSizes.map { rows in
            (rows, try database.cachedStatement(sql: Self.sql(rows: rows)).sqliteStatement)
        }
        connection = database.sqliteConnection
    }

    /// The INSERT for `rows` entries at once.
    static func sql(rows: Int) -> String {
        let placeholders = "(" + Array(repeating: "?", count: Int(columnCount)).joined(separator: ", ") + ")"
        return """
            INSERT INTO ledger_entries (
                kind, team_id, key_id, request_id, model, input_tokens, cached_input_tokens, output_tokens,
                local_input_tokens, local_output_tokens, token_source, outcome, price_version, fx_version,
                charge_usd_nanos, charge_cny_nanos, official_usd_nanos, baseline_cny_nanos, reason,
                occurred_at, recorded_at, admission, usage_check, overrun_nanos, cache_write_5m_tokens, cache_write_1h_tokens,
                reasoning_tokens)
            VALUES \(Array(repeating: placeholders, count: rows).joined(separator: ", "))
            """
    }

    /// Inserts the entries in order; throws a GRDB `DatabaseError` carrying SQLite's message on failure.
    func insert(_ entries: [LedgerEntry]) throws {
        var start = entries.startIndex
        for (rows, handle) in statements {
            while entries.endIndex - start >= rows {
                try step(handle, entries[start..<start + rows])
                start += rows
            }
        }
    }

    private func step(_ handle: SQLiteStatement, _ rows: ArraySlice<LedgerEntry>) throws {
        var texts = TextArena()
        texts.bytes.reserveCapacity(rows.count * 64)
        texts.slots.reserveCapacity(rows.count * 8)
        var base: Int32 = 0
        for entry in rows {
            bind(entry, to: handle, after: base, texts: &texts)
            base += Self.columnCount
        }
        // The text values are bound without copies (SQLITE_STATIC) from one buffer: letting SQLite
        // copy each value cost one malloc and free per text column per row.
        let code = texts.withBound(handle) { sqlite3_step(handle) }
        guard code == SQLITE_DONE else {
            let message = connection.flatMap { sqlite3_errmsg($0).map { String(cString: $0) } }
            throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)), message: message)
        }
    }

    private func bind(_ entry: LedgerEntry, to handle: SQLiteStatement, after base: Int32, texts: inout TextArena) {
        texts.add(base + 1, entry.kind.rawValue, or: handle)
        sqlite3_bind_int64(handle, base + 2, entry.teamID)
        integer(handle, base + 3, entry.keyID)
        texts.add(base + 4, entry.requestID, or: handle)
        texts.add(base + 5, entry.model?.rawValue, or: handle)
        sqlite3_bind_int64(handle, base + 6, Int64(entry.usage.inputTokens))
        sqlite3_bind_int64(handle, base + 7, Int64(entry.usage.cachedInputTokens))
        sqlite3_bind_int64(handle, base + 8, Int64(entry.usage.outputTokens))
        integer(handle, base + 9, entry.localInputTokens.map(Int64.init))
        integer(handle, base + 10, entry.localOutputTokens.map(Int64.init))
        texts.add(base + 11, entry.tokenSource?.rawValue, or: handle)
        texts.add(base + 12, entry.outcome, or: handle)
        texts.add(base + 13, entry.priceVersion, or: handle)
        texts.add(base + 14, entry.fxVersion, or: handle)
        sqlite3_bind_int64(handle, base + 15, entry.chargeUSD.nanos)
        sqlite3_bind_int64(handle, base + 16, entry.chargeCNY.nanos)
        sqlite3_bind_int64(handle, base + 17, entry.officialUSD.nanos)
        sqlite3_bind_int64(handle, base + 18, entry.baselineCNY.nanos)
        texts.add(base + 19, entry.reason, or: handle)
        sqlite3_bind_int64(handle, base + 20, Timestamp.millis(entry.occurredAt))
        sqlite3_bind_int64(handle, base + 21, Timestamp.millis(entry.recordedAt))
        texts.add(base + 22, entry.admission, or: handle)
        texts.add(base + 23, entry.usageCheck?.rawValue, or: handle)
        integer(handle, base + 24, entry.overrunNanos)
        sqlite3_bind_int64(handle, base + 25, Int64(entry.usage.cacheWrite5mTokens))
        sqlite3_bind_int64(handle, base + 26, Int64(entry.usage.cacheWrite1hTokens))
        sqlite3_bind_int64(handle, base + 27, Int64(entry.usage.reasoningTokens))
    }

    private func integer(_ handle: SQLiteStatement, _ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }
}
