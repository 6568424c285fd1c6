import Foundation
import GRDB
import Synchronization
import TollgateCore

/// Group commit for admissions: reservations that arrive while a reservation transaction runs are
/// decided together in the next one, one after the other, so each still sees every hold before it.
///
/// Why: one transaction per reservation capped admission at ~7k/s (writer hand-off and commit per
/// request); batching keeps the same atomicity (every decision runs inside the one IMMEDIATE
/// transaction that writes its hold) and adds no wait when requests are few.
final class ReservationQueue: Sendable {
    typealias Decide = @Sendable (Team, BudgetStatus) throws -> AdmissionDecision

    private struct Request {
        let draft: ReservationDraft
        let decide: Decide
        let continuation: CheckedContinuation<ReservationGrant, any Error>
    }

    private struct State: ~Copyable {
        var pending: [Request] = []
        var draining = false
    }

    private let state = Mutex(State())
    /// Largest batch per transaction, so one transaction never holds the write lock for long.
    private let maximumBatch = 256

    /// Decides and holds `draft` in the next reservation transaction.
    func reserve(_ draft: ReservationDraft, decide: @escaping Decide, in pool: DatabasePool) async throws -> ReservationGrant {
        try await withCheckedThrowingContinuation { continuation in
            let startDrain = state.withLock { state -> Bool in
                state.pending.append(Request(draft: draft, decide: decide, continuation: continuation))
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDrain { Task { await self.drain(pool) } }
        }
    }

    private func drain(_ pool: DatabasePool) async {
        while true {
            let batch = state.withLock { state -> [Request] in
                let batch = Array(state.pending.prefix(maximumBatch))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let results = try await pool.writeWithoutTransaction { db in
                    var results: [Result<ReservationGrant, any Error>] = []
                    try db.inTransaction(.immediate) {
                        var snapshot = AdmissionSnapshot()
                        results = batch.map { request in
                            Result {
                                try SQLiteLedger.reserveInTransaction(db, draft: request.draft, snapshot: &snapshot, decide: request.decide)
                            }
                        }
                        return .commit
                    }
                    return results
                }
                for (request, result) in zip(batch, results) { request.continuation.resume(with: result) }
            } catch {
                for request in batch { request.continuation.resume(throwing: error) }
            }
        }
    }
}
