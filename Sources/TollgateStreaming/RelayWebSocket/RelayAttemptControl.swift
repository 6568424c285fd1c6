import HummingbirdWSClient
import Synchronization

/// Coordinates one connection attempt between the connection task, the handshake deadline and the
/// consumer: whoever decides first resolves the attempt, exactly once.
final class RelayAttemptControl: Sendable {
    private enum Handshake {
        case pending
        case established
        case expired
    }

    private struct State {
        var handshake = Handshake.pending
        var waiter: CheckedContinuation<RelayWebSocketClientAttempt.Outcome, Never>?
        var resolved = false
        var stopRequested = false
        var outbound: WebSocketOutboundWriter?
        var connection: Task<Void, Never>?
        var deadline: Task<Void, Never>?
        var expiry: StreamingError?
    }

    private let state = Mutex(State())

    /// How long a cancelled stream waits for the relay to answer the close frame.
    static let closeGrace: Duration = .seconds(2)

    /// True once the consumer went away; the next end of input is a clean close, not a failure.
    var stopRequested: Bool { state.withLock { $0.stopRequested } }

    /// Registers the caller; returns false (after resuming it) when the attempt was already stopped.
    func install(_ waiter: CheckedContinuation<RelayWebSocketClientAttempt.Outcome, Never>) -> Bool {
        let alreadyStopped = state.withLock { state in
            if state.stopRequested {
                state.resolved = true
                return true
            }
            state.waiter = waiter
            return false
        }
        if alreadyStopped { waiter.resume(returning: .consumerGone) }
        return !alreadyStopped
    }

    func track(connection: Task<Void, Never>, deadline: Task<Void, Never>) {
        state.withLock { state in
            state.connection = connection
            state.deadline = deadline
        }
    }

    /// Called when the upgrade succeeded; false when the deadline already gave up on this socket.
    func establish(outbound: WebSocketOutboundWriter) -> Bool {
        let (ok, deadline) = state.withLock { state -> (Bool, Task<Void, Never>?) in
            guard state.handshake == .pending, !state.stopRequested else { return (false, nil) }
            state.handshake = .established
            state.outbound = outbound
            return (true, state.deadline)
        }
        deadline?.cancel()
        return ok
    }

    /// Called by the deadline; true when the handshake had not finished in time.
    func expireHandshake() -> Bool {
        state.withLock { state in
            guard state.handshake == .pending else { return false }
            state.handshake = .expired
            return true
        }
    }

    /// Ends the attempt with `outcome` unless it already ended.
    func resolve(_ outcome: RelayWebSocketClientAttempt.Outcome) {
        let waiter = state.withLock { state -> CheckedContinuation<RelayWebSocketClientAttempt.Outcome, Never>? in
            guard !state.resolved else { return nil }
            state.resolved = true
            state.deadline?.cancel()
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: outcome)
    }

    /// Why a content deadline ended the attempt, if one did.
    var expiry: StreamingError? { state.withLock { $0.expiry } }

    /// A content deadline passed: note why and stop the connection task, whose socket closes and
    /// wakes the reader (which then reports `error`).
    func expire(_ error: StreamingError) {
        let connection = state.withLock { state in
            state.expiry = error
            return state.connection
        }
        connection?.cancel()
    }

    /// The consumer went away: send close 1000 if connected, otherwise abandon the handshake.
    func stop() {
        let (outbound, connection, handshake) = state.withLock { state in
            state.stopRequested = true
            return (state.outbound, state.connection, state.handshake)
        }
        guard handshake == .established, let outbound else {
            connection?.cancel()
            resolve(.consumerGone)
            return
        }
        Task {
            try? await outbound.close(.normalClosure, reason: "client cancelled")
            try? await Task.sleep(for: Self.closeGrace)
            connection?.cancel()
        }
    }
}
