import Foundation
import PostgresNIO
import TollgateDefaults
import TollgateStorage

extension PostgresLedger {
    /// Key of the session advisory lock held while migrating: replicas starting together queue on
    /// it, and each one after the first finds every migration already recorded.
    static let migrationLockKey: Int64 = 0x746f_6c6c_6761_7465  // "tollgate"

    /// Applies the embedded `migrations/postgres` files not yet recorded in `tollgate_migrations`,
    /// each in its own transaction, all under `pg_advisory_lock`. Refuses a database that has
    /// migrations this build doesn't know.
    func migrate() async throws {
        let files = ShippedData.migrations(for: "postgres").map { file in
            (name: String(file.path.dropFirst("postgres/".count).dropLast(".sql".count)), sql: file.contents)
        }
        try await read("migrating") { [logger] connection in
            try await connection.run(.sql("SELECT pg_advisory_lock($1)") { $0.append(Self.migrationLockKey) }, logger: logger)
            do {
                try await connection.run(
                    """
                    CREATE TABLE IF NOT EXISTS tollgate_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                    """,
                    logger: logger
                )
                let applied = Set(try await connection.rows("SELECT name FROM tollgate_migrations", logger: logger).map { try $0.text("name") })
                let unknown = applied.subtracting(files.map(\.name))
                guard unknown.isEmpty else {
                    throw LedgerError(
                        .tooNew,
                        "the database was migrated by a newer Tollgate (it has \(unknown.sorted().joined(separator: ", ")), which this build doesn't know): upgrade tollgate"
                    )
                }
                for file in files where !applied.contains(file.name) {
                    try await connection.run("BEGIN", logger: logger)
                    do {
                        // One statement per query: the extended protocol PostgresNIO speaks takes one at a time.
                        for statement in MigrationScript.statements(file.sql) {
                            try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await connection.run(.sql("INSERT INTO tollgate_migrations (name) VALUES ($1)") { $0.append(file.name) }, logger: logger)
                        try await connection.run("COMMIT", logger: logger)
                    } catch {
                        try? await connection.run("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            } catch {
                try? await connection.run(.sql("SELECT pg_advisory_unlock($1)") { $0.append(Self.migrationLockKey) }, logger: logger)
                throw error
            }
            try await connection.run(.sql("SELECT pg_advisory_unlock($1)") { $0.append(Self.migrationLockKey) }, logger: logger)
        }
    }
}
