import Synchronization

/// When open streams must stop: unset until graceful shutdown starts, then that instant plus the
/// grace period. One per gateway, shared by every SSE stream and WebSocket session, which check it
/// between events; idle WebSocket sessions are told when it starts, to close at once.
final class ShutdownDeadline: Sendable {
    private struct State {
        var deadline: ContinuousClock.Instant?
        var actions: [Int: @Sendable () -> Void] = [:]
        var nextAction = 0
    }

    private let grace: Duration
    private let state = Mutex(State())

    init(grace: Duration) {
        self.grace = grace
    }

    /// Graceful shutdown started now (later calls keep the first instant).
    func start() {
        let actions = state.withLock { state -> [@Sendable () -> Void] in
            guard state.deadline == nil else { return [] }
            state.deadline = .now + grace
            defer { state.actions = [:] }
            return Array(state.actions.values)
        }
        for action in actions { action() }
    }

    /// Whether graceful shutdown has started.
    var started: Bool {
        state.withLock { $0.deadline != nil }
    }

    /// Whether the grace period is over.
    var passed: Bool {
        state.withLock { $0.deadline.map { $0 <= .now } ?? false }
    }

    /// Runs `action` once graceful shutdown starts (at once, on this thread, if it already has).
    /// - Returns: The registration to pass to ``removeAction(_:)``, or `nil` when `action` already ran.
    ///
    /// A callback rather than a waiting task: an idle WebSocket session would otherwise keep a task
    /// (and its stack) alive for its whole life only to hear about a shutdown.
    func onStart(_ action: @escaping @Sendable () -> Void) -> Int? {
        let id = state.withLock { state -> Int? in
            guard state.deadline == nil else { return nil }
            state.nextAction += 1
            state.actions[state.nextAction] = action
            return state.nextAction
        }
        if id == nil { action() }
        return id
    }

    /// Forgets an action that has not run (the session ended first).
    func removeAction(_ id: Int?) {
        guard let id else { return }
        _ = state.withLock { $0.actions.removeValue(forKey: id) }
    }
}
