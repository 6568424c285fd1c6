import ArgumentParser
import Foundation
import TollgateLedgerPostgres
import TollgateStorage

/// Where the ledger lives: `--database-url` / `TOLLGATE_DATABASE_URL` (PostgreSQL) when given, else
/// `--db PATH` (then `TOLLGATE_DB`, then `./.tollgate/ledger.sqlite`), a SQLite file.
public struct LedgerOptions: ParsableArguments {
    /// Explicit ledger path.
    @Option(name: .long, help: "Ledger file (default: $TOLLGATE_DB or ./.tollgate/ledger.sqlite).")
    public var db: String?

    /// Explicit PostgreSQL URL.
    @Option(
        name: .customLong("database-url"),
        help: "PostgreSQL ledger, postgres://user:password@host:5432/database (default: $TOLLGATE_DATABASE_URL; SQLite when neither is set)."
    )
    public var databaseURL: String?

    /// Creates options (used by argument parsing).
    public init() {}

    /// Rejects asking for both engines at once.
    public func validate() throws {
        if databaseURL != nil, db != nil {
            throw ValidationError("--db and --database-url both name a ledger: pass one (--database-url for PostgreSQL, --db for a SQLite file)")
        }
    }

    /// The path the SQLite ledger is opened at, after flag, environment and default.
    public var resolvedPath: String {
        db ?? ProcessInfo.processInfo.environment["TOLLGATE_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? ".tollgate/ledger.sqlite"
    }

    /// The PostgreSQL URL when one is selected: the flag, or the environment unless `--db` is given.
    public var resolvedDatabaseURL: String? {
        if let databaseURL { return databaseURL }
        guard db == nil else { return nil }
        return ProcessInfo.processInfo.environment["TOLLGATE_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens the selected ledger, creating and migrating it on first use.
    public func open() async throws -> any LedgerDatabase {
        try await LedgerFactory.open(databaseURL: resolvedDatabaseURL, path: resolvedPath)
    }
}
