import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the write-ahead log back into the ledger file from a connection of its own, so the
/// writer doesn't.
///
/// Why: SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages, on
/// the writer's thread, and with it the fsyncs; profiling the 1,000-entry append put it at about
/// 12 % of the writer's time. Here the writer's commit only notices the WAL's size (a WAL hook,
/// which replaces the automatic checkpoint on that connection) and hands a PASSIVE checkpoint to a
/// background queue, which copies pages while the writer goes on. PASSIVE never blocks the writer
/// or readers. Should the background fall far behind (a stuck disk, a starved thread), the writer
/// checkpoints inline again once the WAL reaches `writerPages`, so the WAL stays bounded either way.
final class WALCheckpointer: Sendable {
    /// When the WAL holds this many pages after a commit, a background checkpoint is requested
    /// (SQLite's own automatic checkpoint threshold).
    let backgroundPages: Int32
    /// When the WAL holds this many pages after a commit, the writer checkpoints inline.
    let writerPages: Int32

    private let connection: LazyConnection
    private let queue = DispatchQueue(label: "tollgate.ledger.checkpoint")
    private let requested = Atomic<Bool>(false)
    private let completed = Atomic<Int>(0)

    init(path: String, configuration: Configuration, backgroundPages: Int32, writerPages: Int32) {
        connection = LazyConnection(path: path, configuration: configuration)
        self.backgroundPages = backgroundPages
        self.writerPages = writerPages
    }

    /// Installs the WAL hook on the writer's connection.
    ///
    /// The hook's context is this object, unretained: the caller keeps it alive for as long as
    /// the connection (it is captured by the connection's own `prepareDatabase` closure).
    func watch(_ db: Database) {
        sqlite3_wal_hook(
            db.sqliteConnection,
            { context, connection, _, pages in
                guard let context else { return SQLITE_OK }
                Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().committed(pages: pages, on: connection)
                return SQLITE_OK
            },
            Unmanaged.passUnretained(self).toOpaque()
        )
    }

    /// How many background checkpoints have run (for tests).
    var completedCheckpoints: Int { completed.load(ordering: .acquiring) }

    /// Returns once every checkpoint requested so far has run (for tests and orderly shutdown).
    func drain() { queue.sync {} }

    private func committed(pages: Int32, on writer: OpaquePointer?) {
        if pages >= writerPages {
            // The background is far behind: fall back to what SQLite would do, inline. BUSY (the
            // background holds the checkpoint lock right now) needs nothing: it is copying already.
            _ = sqlite3_wal_checkpoint_v2(writer, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            return
        }
        guard pages >= backgroundPages,
            requested.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        queue.async { [self] in
            defer { requested.store(false, ordering: .releasing) }
            checkpoint()
        }
    }

    private func checkpoint() {
        // A failed checkpoint loses nothing: the pages stay in the WAL, readers still see them, and
        // the next commit over the threshold asks again (or the writer's inline fallback runs).
        do {
            try connection.database().writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            completed.add(1, ordering: .releasing)
        } catch {}
    }
}
