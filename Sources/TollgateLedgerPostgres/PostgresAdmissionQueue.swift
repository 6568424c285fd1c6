import Foundation
import Synchronization
import TollgateCore
import TollgateLedger

/// Group commit for admissions, as `ReservationQueue` does for SQLite: reservations that arrive
/// while one admission transaction runs are decided together in the next, one after the other, each
/// seeing the holds decided before it. Per replica this turns N round-trip transactions into one;
/// across replicas the team row lock (see `PostgresLedger.reserve`) keeps them atomic.
final class PostgresAdmissionQueue: Sendable {
    typealias Decide = @Sendable (Team, BudgetStatus) throws -> AdmissionDecision

    struct Request: Sendable {
        let draft: ReservationDraft
        let decide: Decide
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
    /// Largest batch per transaction, so one transaction never holds the team locks for long.
    private let maximumBatch = 256

    /// Decides and holds `request` in the next admission transaction run by `run`.
    func reserve(_ request: Request, run: @escaping @Sendable ([Request]) async throws -> [Result<ReservationGrant, any Error>]) async throws -> ReservationGrant {
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
