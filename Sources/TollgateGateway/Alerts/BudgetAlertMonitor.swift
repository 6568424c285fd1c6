import Synchronization

/// Collects which teams may have crossed an alert threshold, for `BudgetAlertService` to check.
///
/// Endpoints mark a team after a settlement (its spend changed) or a budget refusal or cutoff
/// (`exhausted`); marks coalesce per team, so a busy team costs one check per pass, and the
/// request path pays only a lock and a dictionary write.
public final class BudgetAlertMonitor: Sendable {
    private struct State {
        var pending: [Int64: Marks] = [:]
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Creates an empty monitor.
    public init() {}

    /// What was seen of a team since the last check.
    struct Marks: Hashable {
        /// A request was refused or cut off for lack of budget.
        var exhausted = false
        /// A settlement billed an upstream report past its hold.
        var overrun = false
    }

    /// Marks a team for a check; `exhausted` when a request was refused or cut off for lack of
    /// budget, `overrun` when a settlement went past its hold.
    public func mark(teamID: Int64, exhausted: Bool = false, overrun: Bool = false) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            var marks = state.pending[teamID] ?? Marks()
            marks.exhausted = marks.exhausted || exhausted
            marks.overrun = marks.overrun || overrun
            state.pending[teamID] = marks
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Takes the marked teams (and whether each saw an exhaustion or an overrun), leaving none.
    func drain() -> [Int64: Marks] {
        state.withLock { state in
            defer { state.pending = [:] }
            return state.pending
        }
    }

    /// Returns at once when a team is marked, else when the next one is, `wake()` is called or the
    /// task is cancelled. Only one task (the service) waits at a time.
    func waitForMark() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Cancellation is flagged before the handler runs, so checking it under the lock the
                // handler takes means one of the two always resumes the continuation.
                let resumeNow = state.withLock { state -> Bool in
                    if !state.pending.isEmpty || Task.isCancelled { return true }
                    state.waiter?.resume()
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            wake()
        }
    }

    /// Resumes a waiting `waitForMark()` (for timeouts and shutdown).
    func wake() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
