import Foundation
import Logging
import PostgresNIO
import TollgateCore
import TollgateStorage

/// The ledger on PostgreSQL, for several gateway replicas sharing one database.
///
/// Same tables and numbers as `SQLiteLedger` (see `migrations/postgres`), through PostgresNIO's
/// pooled `PostgresClient`. Every call has a deadline: while the database is down, calls fail with
/// `ledger_unavailable` instead of waiting, so admission fails closed; the pool reconnects by itself
/// when the database returns. Atomicity across replicas is explained on `reserve`.
public final class PostgresLedger: ReportStore {
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    let admissions: AdmissionQueue
    /// How long one call may wait for the database before it fails as unavailable.
    let deadline: Duration
    /// Where the ledger lives, without the password (for messages).
    public let location: String

    /// Connects to the database named by `url` (`postgres://user:password@host:port/database`),
    /// waiting for it up to `deadline`, and applies pending migrations under an advisory lock.
    public static func connect(
        url: String,
        deadline: Duration = .seconds(10),
        logger: Logger = PostgresLedger.quietLogger
    ) async throws -> PostgresLedger {
        let address = try PostgresAddress(parsing: url)
        let ledger = PostgresLedger(address: address, deadline: deadline, logger: logger)
        do {
            try await ledger.migrate()
        } catch {
            ledger.close()
            throw error
        }
        return ledger
    }

    /// Warnings and up only: while the database is down the pool logs every reconnect attempt at
    /// info, and callers already get `ledger_unavailable` errors that say so.
    public static var quietLogger: Logger {
        var logger = Logger(label: "tollgate.postgres")
        logger.logLevel = .warning
        return logger
    }

    init(address: PostgresAddress, deadline: Duration, logger: Logger) {
        var configuration = address.configuration
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = deadline
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.runner = Task { await client.run() }
        self.logger = logger
        self.deadline = deadline
        self.location = address.redacted
        self.admissions = AdmissionQueue()
    }

    /// Closes the pool; calls after this fail.
    public func close() { runner.cancel() }

    deinit { runner.cancel() }

    /// Names of the migrations applied to this database, in order.
    public func appliedMigrations() async throws -> [String] {
        try await read("listing migrations") { connection in
            try await connection.rows("SELECT name FROM tollgate_migrations ORDER BY name", logger: self.logger).map { try $0.text("name") }
        }
    }

    public func entryCount() async throws -> Int {
        try await read("counting entries") { connection in
            Int(try await connection.rows("SELECT COUNT(*) AS n FROM ledger_entries", logger: self.logger).first?.int64("n") ?? 0)
        }
    }
}

/// The whole ledger database: its alerts are in `PostgresLedger+Alerts`.
extension PostgresLedger: LedgerDatabase {}
