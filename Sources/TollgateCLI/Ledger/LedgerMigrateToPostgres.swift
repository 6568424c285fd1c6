import ArgumentParser
import Foundation
import TollgateLedger
import TollgateLedgerPostgres

/// `tollgate ledger migrate-to-postgres --db PATH --database-url URL`: copies a SQLite ledger into
/// an empty PostgreSQL database and verifies the totals match.
struct LedgerMigrateToPostgres: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-to-postgres",
        abstract: "Copy a SQLite ledger into an empty PostgreSQL database and verify every total matches.",
        discussion:
            "Stop the gateways writing to the SQLite file first; the file is only read. Then point them at PostgreSQL with TOLLGATE_DATABASE_URL."
    )

    @Option(name: .long, help: "The SQLite ledger to copy (default: $TOLLGATE_DB or ./.tollgate/ledger.sqlite).") var db: String?
    @Option(name: .customLong("database-url"), help: "The empty PostgreSQL database to copy into (default: $TOLLGATE_DATABASE_URL).")
    var databaseURL: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let path = db ?? environment["TOLLGATE_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? ".tollgate/ledger.sqlite"
        guard let url = databaseURL ?? environment["TOLLGATE_DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw CLIError(
                "no PostgreSQL database to copy into: pass --database-url postgres://user:password@host:5432/database or set TOLLGATE_DATABASE_URL"
            )
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("no SQLite ledger at '\(path)': pass --db PATH (or set TOLLGATE_DB) to the ledger file to copy")
        }
        let source = try SQLiteLedger(path: path)
        let target = try await PostgresLedger.connect(url: url)
        defer { target.close() }
        let progress = TerminalProgress(label: "Copying entries")
        let totals = try await LedgerCopy.copy(from: source, to: target) { progress.update(Int($0), of: Int($1)) }
        progress.finish()
        print("Copied \(totals) from \(path) to \(target.location); every total matches and the rollup verifies.")
    }
}
