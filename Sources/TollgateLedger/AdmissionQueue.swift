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

        package init(draft: ReservationDraft, decide: @escaping Decide) {
            self.draft = draft
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

    package init() {}

    /// Decides and holds `request` in the next admission transaction run by `run`, which decides a
    /// batch in order and returns one result per request.
    package func reserve(_ request: Request, run: @escaping @Sendable ([Request]) async throws -> [Result<ReservationGrant, any Error>]) async throws -> ReservationGrant {
        try await withCheckedThrowingContinuation { continuation in
            let startDrain = state.withLock { state -> Bool in
                state.pending.append(Waiting(request: request, continuation: continuation))
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDrain { Task { await self.drain(run) } }
        }
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
