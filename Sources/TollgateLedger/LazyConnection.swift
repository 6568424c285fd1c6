import GRDB
import Synchronization

/// A connection of its own to the ledger file, beside the pool, opened on first use and closed
/// with its owner.
///
/// Two jobs need one: WAL checkpoints off the writer's thread (`WALCheckpointer`), and the key
/// lookup every authenticated request makes on the caller's thread (read-only), which through the
/// pool would wait, blocking a Swift concurrency thread, whenever long reports held every pooled
/// reader. Opened lazily so ledgers that never need it (most CLI commands) don't pay for it.
final class LazyConnection: Sendable {
    private let path: String
    private let configuration: Configuration
    private let connection = Mutex<DatabaseQueue?>(nil)

    init(path: String, configuration: Configuration) {
        self.path = path
        self.configuration = configuration
    }

    /// The connection, opened now if this is the first use.
    func database() throws -> DatabaseQueue {
        try connection.withLock { queue in
            if let queue { return queue }
            let opened = try DatabaseQueue(path: path, configuration: configuration)
            queue = opened
            return opened
        }
    }
}
