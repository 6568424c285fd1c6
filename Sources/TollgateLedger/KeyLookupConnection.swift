import GRDB
import Synchronization

/// A read-only connection of its own for the key lookup every authenticated request makes.
///
/// The lookup runs synchronously on the caller's thread (two queue hops cost more than the ~20 µs
/// SELECT). Through the pool it would wait whenever every pooled reader is busy, with long reports
/// for instance, and that wait would block a Swift concurrency thread. On this connection it waits
/// at most for another key lookup. Opened on first use, so ledgers that never authenticate (the CLI)
/// don't pay for it; closed with the ledger.
final class KeyLookupConnection: Sendable {
    private let path: String
    private let configuration: Configuration
    private let connection = Mutex<DatabaseQueue?>(nil)

    init(path: String, configuration: Configuration) {
        var configuration = configuration
        configuration.readonly = true
        self.path = path
        self.configuration = configuration
    }

    /// Runs `body` on this connection, outside any transaction (one SELECT is atomic by itself).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try database().inDatabase(body)
    }

    private func database() throws -> DatabaseQueue {
        try connection.withLock { queue in
            if let queue { return queue }
            let opened = try DatabaseQueue(path: path, configuration: configuration)
            queue = opened
            return opened
        }
    }
}
