import NIOCore
import Synchronization

/// Enforces "the upstream must answer within T" deadlines with an event-loop timer, not a task.
///
/// The reader arms a deadline before awaiting the upstream and disarms it when data arrives; time
/// spent waiting for a slow consumer is never counted. Arming does not reschedule anything while a
/// check is already due no later than the new deadline: the check re-arms itself for the deadline
/// it finds, so a stream that keeps flowing costs about one timer per timeout period. A sleeping
/// task per stream did the same job, but each task keeps its stack memory for the stream's life.
final class StreamWatchdog: Sendable {
    private struct Deadline {
        var instant: ContinuousClock.Instant
        var timeout: Duration
        var waitingFor: String
        var kind: StreamingError.Kind
    }

    private struct State {
        var deadline: Deadline?
        /// The pending check and when it runs.
        var check: (task: Scheduled<Void>, at: ContinuousClock.Instant)?
        var stopped = false
    }

    private let state = Mutex(State())
    private let eventLoop: any EventLoop
    private let onExpiry: @Sendable (StreamingError) -> Void

    /// - Parameters:
    ///   - eventLoop: Where the checks run (any loop: they only take a lock).
    ///   - onExpiry: Called once, on `eventLoop`, with the error of the deadline that passed.
    init(on eventLoop: any EventLoop, onExpiry: @escaping @Sendable (StreamingError) -> Void) {
        self.eventLoop = eventLoop
        self.onExpiry = onExpiry
    }

    /// Starts a deadline; when it passes, `onExpiry` gets an error of `kind`.
    func arm(_ timeout: Duration, waitingFor: String, kind: StreamingError.Kind = .timeout) {
        let instant = ContinuousClock.now + timeout
        state.withLock { state in
            guard !state.stopped else { return }
            state.deadline = Deadline(instant: instant, timeout: timeout, waitingFor: waitingFor, kind: kind)
            if let check = state.check {
                guard check.at > instant else { return }
                check.task.cancel()
            }
            state.check = (schedule(at: instant), instant)
        }
    }

    /// Starts the deadline for the response head. AsyncHTTPClient keeps retrying a refused
    /// connection until the request's own deadline, so missing this one is reported as a connection
    /// failure, not as a slow upstream.
    func armConnect(_ timeout: Duration) {
        arm(timeout, waitingFor: "response head (connection refused, unreachable or not answering)", kind: .connectionFailed)
    }

    func disarm() {
        state.withLock { $0.deadline = nil }
    }

    /// No more checks: the exchange is over.
    func stop() {
        state.withLock { state in
            state.stopped = true
            state.check?.task.cancel()
            state.check = nil
        }
    }

    private func schedule(at instant: ContinuousClock.Instant) -> Scheduled<Void> {
        let delay = max(.zero, instant - .now)
        let (seconds, attoseconds) = delay.components
        return eventLoop.scheduleTask(in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)) { [self] in check() }
    }

    private func check() {
        let expired: Deadline? = state.withLock { state in
            state.check = nil
            // Disarmed: nothing is due until the next `arm`.
            guard !state.stopped, let deadline = state.deadline else { return nil }
            guard deadline.instant <= .now else {
                state.check = (schedule(at: deadline.instant), deadline.instant)
                return nil
            }
            state.stopped = true
            return deadline
        }
        guard let expired else { return }
        onExpiry(StreamingError(expired.kind, message: "no \(expired.waitingFor) from the upstream within \(expired.timeout)"))
    }
}
