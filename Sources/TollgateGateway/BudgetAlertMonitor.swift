import Synchronization

/// Collects which teams may have crossed an alert threshold, for `BudgetAlertService` to check.
///
/// Endpoints mark a team after a settlement (its spend changed) or a budget refusal or cutoff
/// (`exhausted`); marks coalesce per team, so a busy team costs one check per pass, and the
/// request path pays only a lock and a dictionary write.
public final class BudgetAlertMonitor: Sendable {
    private struct State {
        var pending: [Int64: Bool] = [:]
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Creates an empty monitor.
    public init() {}

    /// Marks a team for a check; `exhausted` when a request was refused or cut off for lack of budget.
    public func mark(teamID: Int64, exhausted: Bool = false) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.pending[teamID] = (state.pending[teamID] ?? false) || exhausted
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Takes the marked teams (and whether each saw an exhaustion), leaving none.
    func drain() -> [Int64: Bool] {
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
