import Synchronization

/// When an open stream must stop: unset until graceful shutdown starts, then that instant plus the
/// grace period. Streams check it between events.
final class ShutdownDeadline: Sendable {
    private let grace: Duration
    private let deadline = Mutex<ContinuousClock.Instant?>(nil)

    init(grace: Duration) {
        self.grace = grace
    }

    /// Graceful shutdown started now.
    func start() {
        deadline.withLock { $0 = $0 ?? .now + grace }
    }

    /// Whether the grace period is over.
    var passed: Bool {
        deadline.withLock { $0.map { $0 <= .now } ?? false }
    }
}
