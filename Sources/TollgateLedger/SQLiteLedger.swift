import Foundation
import GRDB
import TollgateCore
import TollgateDefaults
import TollgateStorage

/// The embedded ledger: one SQLite file in WAL mode, written through GRDB.
///
/// WAL lets reports read while the gateway writes; `synchronous = NORMAL` keeps every committed
/// transaction across a process crash (kill -9) while sparing an fsync per commit; the busy timeout
/// lets several `tollgate` processes share the file; foreign keys keep entries tied to real teams.
public struct SQLiteLedger: LedgerStore {
    let pool: DatabasePool
    let admissions = AdmissionQueue(decidesAloneInline: true)
    /// Checkpoints the WAL off the writer's thread; see `WALCheckpointer`.
    let checkpointer: WALCheckpointer
    /// The key lookup's own read-only connection; see `LazyConnection`.
    let keyLookup: LazyConnection
    /// The file the ledger lives in.
    public let path: String

    /// Opens (creating if needed) the ledger at `path` and applies pending migrations.
    public init(path: String) throws {
        try self.init(path: path, checkpointPages: (background: 1_000, writer: 16_000))
    }

    /// Opens the ledger with the WAL thresholds of `WALCheckpointer` chosen (tests make them small).
    init(path: String, checkpointPages: (background: Int32, writer: Int32)) throws {
        self.path = path
        _ = SQLiteThreading.isMultiThread
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.foreignKeysEnabled = true
            let checkpointer = WALCheckpointer(
                path: path,
                configuration: configuration,
                backgroundPages: checkpointPages.background,
                writerPages: checkpointPages.writer
            )
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                if !db.configuration.readonly { checkpointer.watch(db) }
            }
            var readOnly = configuration
            readOnly.readonly = true
            keyLookup = LazyConnection(path: path, configuration: readOnly)
            pool = try DatabasePool(path: path, configuration: configuration)
            self.checkpointer = checkpointer
        } catch {
            throw LedgerError(
                .unavailable,
                "cannot open the ledger at \(path) (\(error)): check the path and its permissions, or use another ledger file",
                problem: .cannotOpen(path: path, reason: "\(error)")
            )
        }
        try Self.migrate(pool)
    }

    /// Applies the embedded SQLite migrations that haven't run yet, each recorded by name.
    static func migrate(_ pool: DatabasePool) throws {
        var migrator = DatabaseMigrator()
        for file in ShippedData.migrations(for: "sqlite") {
            let name = String(file.path.dropFirst("sqlite/".count).dropLast(".sql".count))
            migrator.registerMigration(name) { db in try db.execute(sql: file.contents) }
        }
        if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
            throw LedgerError(.tooNew, "the ledger was written by a newer Tollgate (it has migrations this build doesn't know): upgrade tollgate")
        }
        try migrator.migrate(pool)
    }

    /// Names of the migrations applied to this ledger, in order.
    public func appliedMigrations() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    }

    /// How many entries the ledger holds.
    public func entryCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger_entries") ?? 0 }
    }
}

extension SQLiteLedger {
    /// Whether SQLite runs in multi-thread mode (see `SQLiteThreading`); reported by benchmarks.
    public static var usesMultiThreadMode: Bool { SQLiteThreading.isMultiThread }
}

/// The whole ledger database: its reports are in `SQLiteLedger+Reports`, its alerts in `SQLiteLedger+Alerts`.
extension SQLiteLedger: LedgerDatabase {}
