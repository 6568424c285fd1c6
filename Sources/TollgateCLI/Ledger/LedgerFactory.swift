import Foundation
import TollgateLedger
import TollgateLedgerPostgres
import TollgateStorage

/// The one place a ledger is chosen and opened: PostgreSQL for a `postgres://` URL, else SQLite.
public enum LedgerFactory {
    /// Opens PostgreSQL at `databaseURL` when given, else the SQLite file at `path`.
    public static func open(databaseURL: String?, path: String) async throws -> any LedgerDatabase {
        if let databaseURL {
            return try await PostgresLedger.connect(url: databaseURL)
        }
        return try SQLiteLedger(path: path)
    }
}
