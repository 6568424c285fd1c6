import Foundation
import GRDB
import GRDBSQLite

/// Binds ledger entries straight onto GRDB's cached prepared INSERT through the SQLite C API.
///
/// Why not `StatementArguments`: boxing 22 values per row in existentials cost about a third of
/// the append time, and the ledger-append benchmark missed its 200k rows/s target because of it.
/// This type only binds and steps inside a transaction GRDB opened, and always leaves the statement
/// reset and its bindings cleared, so GRDB's later use of the cached statement is unaffected.
struct EntryInsertion {
    private let handle: SQLiteStatement
    private let connection: SQLiteConnection?

    init(statement: Statement, database: Database) {
        handle = statement.sqliteStatement
        connection = database.sqliteConnection
    }

    /// Inserts one entry; throws a GRDB `DatabaseError` carrying SQLite's message on failure.
    func insert(_ entry: LedgerEntry) throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        text(1, entry.kind.rawValue)
        sqlite3_bind_int64(handle, 2, entry.teamID)
        integer(3, entry.keyID)
        text(4, entry.requestID)
        text(5, entry.model?.rawValue)
        sqlite3_bind_int64(handle, 6, Int64(entry.usage.inputTokens))
        sqlite3_bind_int64(handle, 7, Int64(entry.usage.cachedInputTokens))
        sqlite3_bind_int64(handle, 8, Int64(entry.usage.outputTokens))
        integer(9, entry.localInputTokens.map(Int64.init))
        integer(10, entry.localOutputTokens.map(Int64.init))
        text(11, entry.tokenSource?.rawValue)
        text(12, entry.outcome)
        text(13, entry.priceVersion)
        text(14, entry.fxVersion)
        sqlite3_bind_int64(handle, 15, entry.chargeUSD.nanos)
        sqlite3_bind_int64(handle, 16, entry.chargeCNY.nanos)
        sqlite3_bind_int64(handle, 17, entry.officialUSD.nanos)
        sqlite3_bind_int64(handle, 18, entry.baselineCNY.nanos)
        text(19, entry.reason)
        sqlite3_bind_int64(handle, 20, Timestamp.millis(entry.occurredAt))
        sqlite3_bind_int64(handle, 21, Timestamp.millis(entry.recordedAt))
        text(22, entry.admission)
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = connection.flatMap { sqlite3_errmsg($0).map { String(cString: $0) } }
            throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)), message: message)
        }
    }

    private func integer(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    private func text(_ index: Int32, _ value: String?) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        // SQLITE_TRANSIENT (-1): SQLite copies the bytes before the temporary C string goes away.
        sqlite3_bind_text(handle, index, value, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }
}
