import Synchronization

/// Enforces "the upstream must answer within T" deadlines without a timer per chunk.
///
/// The reader arms a deadline before awaiting the upstream and disarms it when data arrives; time
/// spent waiting for a slow consumer is never counted. One sleeping task per stream re-checks the
/// deadline only when it could have passed.
final class StreamWatchdog: Sendable {
    private struct Deadline {
        var instant: ContinuousClock.Instant
        var timeout: Duration
        var waitingFor: String
        var kind: StreamingError.Kind
    }

    private let deadline = Mutex<Deadline?>(nil)
    private let recheckWhenDisarmed: Duration

    /// - Parameter recheckWhenDisarmed: the shortest timeout in use, so a deadline armed while the
    ///   watchdog sleeps is never noticed later than it should be.
    init(recheckWhenDisarmed: Duration) {
        self.recheckWhenDisarmed = recheckWhenDisarmed
    }

    /// Starts a deadline; when it passes, ``run()`` throws an error of `kind`.
    func arm(_ timeout: Duration, waitingFor: String, kind: StreamingError.Kind = .timeout) {
        deadline.withLock { $0 = Deadline(instant: .now + timeout, timeout: timeout, waitingFor: waitingFor, kind: kind) }
    }

    func disarm() {
        deadline.withLock { $0 = nil }
    }

    /// Sleeps until a deadline passes, then throws (``StreamingError/timeout`` unless armed otherwise). Cancel it to stop.
    func run() async throws {
        while true {
            let current = deadline.withLock { $0 }
            guard let current else {
                try await Task.sleep(for: recheckWhenDisarmed)
                continue
            }
            if current.instant <= .now {
                throw StreamingError(current.kind, message: "no \(current.waitingFor) from the upstream within \(current.timeout)")
            }
            try await Task.sleep(until: current.instant, clock: .continuous)
        }
    }
}
