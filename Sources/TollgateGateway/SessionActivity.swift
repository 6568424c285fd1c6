import Synchronization

/// Whether a WebSocket session is handling a frame, idle between frames, or closed for shutdown; it
/// decides who closes the session when graceful shutdown starts, so exactly one side does.
///
/// A session busy with a frame (a streaming turn above all) finishes it within the grace period and
/// closes itself after; an idle session is closed at once by the shutdown watcher.
final class SessionActivity: Sendable {
    enum Phase {
        case idle
        case busy
        case closed
    }

    /// What the session does with the frame it just received.
    enum Admission {
        /// Handle it.
        case proceed
        /// Shutdown started: refuse it with `gateway_shutdown` and close.
        case shuttingDown
        /// The watcher already closed the session: stop.
        case closed
    }

    private let shutdown: ShutdownDeadline
    private let phase = Mutex(Phase.idle)

    init(shutdown: ShutdownDeadline) {
        self.shutdown = shutdown
    }

    /// A frame arrived.
    func begin() -> Admission {
        phase.withLock { phase in
            switch phase {
            case .closed: return .closed
            case .idle, .busy:
                if shutdown.started {
                    phase = .closed
                    return .shuttingDown
                }
                phase = .busy
                return .proceed
            }
        }
    }

    /// The frame is handled; `true` when shutdown started meanwhile and the session must close itself.
    func end() -> Bool {
        phase.withLock { phase in
            guard phase == .busy else { return false }
            if shutdown.started {
                phase = .closed
                return true
            }
            phase = .idle
            return false
        }
    }

    /// Shutdown started: `true` when the session was idle, so the watcher must close it now.
    func closeIfIdle() -> Bool {
        phase.withLock { phase in
            guard phase == .idle else { return false }
            phase = .closed
            return true
        }
    }
}
