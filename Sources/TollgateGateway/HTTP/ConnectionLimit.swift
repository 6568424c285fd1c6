import NIOCore
import Synchronization

/// Counts the gateway's open connections against ``ServerLimits/maxConnections``.
///
/// Hummingbird's own cap (`MaximumAvailableConnections`) stops accepting, which leaves clients
/// waiting in the listen backlog with no answer; the gateway accepts, answers `503
/// too_many_connections` and closes (``ConnectionRefusal``), so a client knows to back off.
final class ConnectionLimit: Sendable {
    let maximum: Int
    private let open = Atomic<Int>(0)

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Counts `channel` until it closes; `false` when it is one too many.
    func admit(_ channel: any Channel) -> Bool {
        let count = open.wrappingAdd(1, ordering: .relaxed).newValue
        channel.closeFuture.whenComplete { [self] _ in open.wrappingSubtract(1, ordering: .relaxed) }
        return count <= maximum
    }
}
