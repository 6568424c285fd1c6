import Synchronization

/// Runs work against a deadline and returns at the deadline even if the work does not stop.
///
/// A task group cannot do that: it waits for every child, and a PostgresNIO request caught by a
/// server that vanished (`pg_ctl stop -m immediate`, a dropped network) may ignore cancellation for
/// as long as the connection lingers. The ledger writer then waited on it forever, and `serve` could
/// not stop on SIGTERM. Here the work runs in its own task; whichever of work, deadline or the
/// caller's cancellation comes first resumes the caller, and the work is cancelled and left to end.
/// A transaction abandoned this way either rolls back or, if its `COMMIT` was already on the wire,
/// commits late: every ledger write is safe to repeat (a settlement whose hold is gone writes
/// nothing, progress keeps the greatest count), so a retry never bills twice.
enum DeadlineRace {
    /// The work's result, or `timedOut` once `deadline` passes, or `CancellationError` when the
    /// calling task is cancelled first.
    static func run<T: Sendable>(deadline: Duration, timedOut: any Error, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let worker = Task { race.finish(with: await Result(awaiting: work)) }
                let timer = Task {
                    try? await Task.sleep(for: deadline)
                    race.finish(with: .failure(timedOut))
                }
                race.start(continuation, worker: worker, timer: timer)
            }
        } onCancel: {
            race.finish(with: .failure(CancellationError()))
        }
    }

    /// The one continuation, resumed once; the tasks that lost are cancelled.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var outcome: Result<T, any Error>?
            var worker: Task<Void, Never>?
            var timer: Task<Void, Never>?
        }
        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<T, any Error>, worker: Task<Void, Never>, timer: Task<Void, Never>) {
            let early = state.withLock { state -> Result<T, any Error>? in
                state.worker = worker
                state.timer = timer
                guard let outcome = state.outcome else {
                    state.continuation = continuation
                    return nil
                }
                return outcome
            }
            if let early {
                worker.cancel()
                timer.cancel()
                continuation.resume(with: early)
            }
        }

        func finish(with outcome: Result<T, any Error>) {
            let (continuation, worker, timer) = state.withLock {
                state -> (CheckedContinuation<T, any Error>?, Task<Void, Never>?, Task<Void, Never>?) in
                guard state.outcome == nil else { return (nil, nil, nil) }
                state.outcome = outcome
                defer { state.continuation = nil }
                return (state.continuation, state.worker, state.timer)
            }
            worker?.cancel()
            timer?.cancel()
            continuation?.resume(with: outcome)
        }
    }
}

extension Result where Failure == any Error {
    fileprivate init(awaiting body: @Sendable () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
