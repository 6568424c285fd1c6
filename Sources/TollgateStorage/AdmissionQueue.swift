import Foundation
import Synchronization
import TollgateCore

/// Group commit for admissions, for both ledgers: reservations that arrive while one admission
/// transaction runs are decided together in the next, one after the other, each seeing the holds
/// decided before it — the same atomicity as one transaction per request.
///
/// Why: one transaction per reservation capped SQLite admission at ~7k/s (a writer hand-off and a
/// commit per request) and costs PostgreSQL a round trip per request; batching adds no wait when
/// requests are few. The engine's transaction is the `run` closure: SQLite's IMMEDIATE transaction,
/// PostgreSQL's team row locks (see `PostgresLedger.reserve`).
package final class AdmissionQueue: Sendable {
    package typealias Decide = @Sendable (Team, BudgetStatus) throws -> AdmissionDecision

    /// One admission to decide: what to hold and the caller's policy.
    package struct Request: Sendable {
        package let draft: ReservationDraft
        package let decide: Decide
        /// Whether the decision's hold is added to the open hold `draft.id` instead of inserted as a
        /// new one: an extension is decided in the same transactions, on the same numbers, as admissions.
        package let extendsHold: Bool

        package init(draft: ReservationDraft, extendsHold: Bool = false, decide: @escaping Decide) {
            self.draft = draft
            self.extendsHold = extendsHold
            self.decide = decide
        }
    }

    private struct Waiting {
        let request: Request
        let continuation: CheckedContinuation<ReservationGrant, any Error>
    }

    private struct State: ~Copyable {
        var pending: [Waiting] = []
        var draining = false
    }

    private let state = Mutex(State())
    /// Largest batch per transaction, so one transaction never holds the write lock (SQLite) or the
    /// team locks (PostgreSQL) for long.
    private let maximumBatch = 256
    private let decidesAloneInline: Bool

    /// - Parameter decidesAloneInline: when no transaction is running, decide a request in a
    ///   transaction of its own on the caller's task instead of a drain task's. That saves a task
    ///   hop and a continuation resume (tens of µs of added time to first token) but lets the
    ///   caller's cancellation reach `run`; only an engine whose transaction stays atomic when
    ///   cancelled should ask for it (SQLite: GRDB interrupts and rolls back).
    package init(decidesAloneInline: Bool = false) {
        self.decidesAloneInline = decidesAloneInline
    }

    /// Decides and holds `request` in the next admission transaction run by `run`, which decides a
    /// batch in order and returns one result per request.
    package func reserve(
        _ request: Request,
        run: @escaping @Sendable ([Request]) async throws -> [Result<ReservationGrant, any Error>]
    ) async throws -> ReservationGrant {
        if decidesAloneInline, claimIdleQueue() {
            return try await decideAlone(request, run)
        }
        return try await withCheckedThrowingContinuation { continuation in
            let startDrain = state.withLock { state -> Bool in
                state.pending.append(Waiting(request: request, continuation: continuation))
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDrain { Task { await self.drain(run) } }
        }
    }

    /// Marks the queue draining if it was idle; `true` when this caller claimed it.
    private func claimIdleQueue() -> Bool {
        state.withLock { state in
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
    }

    /// The caller leads: its own transaction, then requests that queued meanwhile go to a drain task
    /// (decided together, as under load) so this caller is not kept waiting for them.
    private func decideAlone(
        _ request: Request,
        _ run: @escaping @Sendable ([Request]) async throws -> [Result<ReservationGrant, any Error>]
    ) async throws -> ReservationGrant {
        let result: Result<ReservationGrant, any Error>
        do {
            let results = try await run([request])
            precondition(results.count == 1, "an admission transaction returns one result per request")
            result = results[0]
        } catch {
            result = .failure(error)
        }
        let othersWaiting = state.withLock { state -> Bool in
            if state.pending.isEmpty { state.draining = false }
            return state.draining
        }
        if othersWaiting { Task { await self.drain(run) } }
        return try result.get()
    }

    private func drain(_ run: @Sendable ([Request]) async throws -> [Result<ReservationGrant, any Error>]) async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = Array(state.pending.prefix(maximumBatch))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let results = try await run(batch.map(\.request))
                for (waiting, result) in zip(batch, results) { waiting.continuation.resume(with: result) }
            } catch {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
    }
}
