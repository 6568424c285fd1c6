import Foundation
import GRDB
import GRDBSQLite
import TollgateCore
import TollgateStorage

/// Writes a new hold through GRDB's cached prepared INSERT, bound through the SQLite C API.
///
/// Why not `StatementArguments`: boxing the hold's 18 values in existentials, and GRDB hashing the
/// statement's SQL to find it in its cache, were half of the hold insert's cost (about 13 % of
/// reserve+settle's CPU). Prepared once per admission transaction; like `EntryInsertion`, it leaves
/// the statement reset and its bindings cleared after every step.
struct HoldInsertion {
    static let sql = """
        INSERT INTO reservations (id, team_id, key_id, model, held_nanos, currency, state, admission, price_version,
            fx_version, input_tokens, cached_input_tokens, cache_write_5m_tokens, cache_write_1h_tokens, output_tokens, token_source,
            occurred_at, lease_expires_at, created_at, estimated_tokens)
        VALUES (?, ?, ?, ?, ?, ?, 'reserved', ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
        """

    /// Kept, not only its handle, so the statement outlives any eviction from GRDB's cache.
    private let statement: Statement
    private let connection: SQLiteConnection?
    private var handle: SQLiteStatement { statement.sqliteStatement }

    init(database: Database) throws {
        statement = try database.cachedStatement(sql: Self.sql)
        connection = database.sqliteConnection
    }

    /// Inserts the hold; throws a GRDB `DatabaseError` carrying SQLite's extended code (a reused id
    /// is `SQLITE_CONSTRAINT_PRIMARYKEY`), in which case only this statement is undone.
    func insert(_ draft: ReservationDraft, hold: Money, admission: String, estimatedTokens: Int?) throws {
        var texts = TextArena()
        texts.bytes.reserveCapacity(160)
        texts.slots.reserveCapacity(7)
        texts.add(1, draft.id, or: handle)
        sqlite3_bind_int64(handle, 2, draft.teamID)
        if let keyID = draft.keyID { sqlite3_bind_int64(handle, 3, keyID) } else { sqlite3_bind_null(handle, 3) }
        texts.add(4, draft.model.rawValue, or: handle)
        sqlite3_bind_int64(handle, 5, hold.nanos)
        texts.add(6, hold.currency.rawValue, or: handle)
        texts.add(7, admission, or: handle)
        texts.add(8, draft.priceVersion, or: handle)
        texts.add(9, draft.fxVersion, or: handle)
        sqlite3_bind_int64(handle, 10, Int64(draft.prompt.inputTokens))
        sqlite3_bind_int64(handle, 11, Int64(draft.prompt.cachedInputTokens))
        sqlite3_bind_int64(handle, 12, Int64(draft.prompt.cacheWrite5mTokens))
        sqlite3_bind_int64(handle, 13, Int64(draft.prompt.cacheWrite1hTokens))
        texts.add(14, draft.tokenSource.rawValue, or: handle)
        let occurred = Timestamp.millis(draft.occurredAt)
        sqlite3_bind_int64(handle, 15, occurred)
        sqlite3_bind_int64(handle, 16, Timestamp.millis(draft.leaseExpiresAt))
        sqlite3_bind_int64(handle, 17, occurred)
        if let estimatedTokens { sqlite3_bind_int64(handle, 18, Int64(estimatedTokens)) } else { sqlite3_bind_null(handle, 18) }
        let code = texts.withBound(handle) { sqlite3_step(handle) }
        guard code == SQLITE_DONE else {
            let message = connection.flatMap { sqlite3_errmsg($0).map { String(cString: $0) } }
            throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)), message: message)
        }
    }
}
