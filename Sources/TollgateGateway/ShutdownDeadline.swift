import Synchronization

/// When open streams must stop: unset until graceful shutdown starts, then that instant plus the
/// grace period. One per gateway, shared by every SSE stream and WebSocket session, which check it
/// between events; idle WebSocket sessions wait for the start to close at once.
final class ShutdownDeadline: Sendable {
    private struct State {
        var deadline: ContinuousClock.Instant?
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let grace: Duration
    private let state = Mutex(State())

    init(grace: Duration) {
        self.grace = grace
    }

    /// Graceful shutdown started now (later calls keep the first instant).
    func start() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.deadline == nil else { return [] }
            state.deadline = .now + grace
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Whether graceful shutdown has started.
    var started: Bool {
        state.withLock { $0.deadline != nil }
    }

    /// Whether the grace period is over.
    var passed: Bool {
        state.withLock { $0.deadline.map { $0 <= .now } ?? false }
    }

    /// Returns once graceful shutdown has started, or when the calling task is cancelled.
    func waitUntilStarted() async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.deadline != nil || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
