import Foundation
import TollgateCore
import TollgateStorage

extension MeteredClient {
    /// Reserves for `draft`; when the budget refuses although its unspent money (limit − spent)
    /// would cover the request — streams in flight hold the rest — waits for holds to settle and
    /// asks again, for at most `settings.admissionWait`, then refuses with `budget_busy`. A refusal
    /// the unspent money can't cover is returned at once: the caller answers `budget_exceeded`.
    ///
    /// Polls the ledger rather than waiting on this process's settlements, because on PostgreSQL
    /// the holds may be another replica's; the polls go through the admission batches, 10 ms
    /// doubling to 100 ms apart.
    func reserveWaiting(
        _ draft: ReservationDraft,
        model: ModelID,
        protocol api: MeteredProtocol,
        decide: @escaping @Sendable (Team, BudgetStatus) throws -> AdmissionDecision
    ) async throws -> ReservationGrant {
        let started = ContinuousClock.now
        var delay = Duration.milliseconds(10)
        var waited = false
        while true {
            let grant = try await store.reserve(draft, decide: decide)
            guard case .rejected(let available, let needed) = grant.decision,
                grant.status.reserved.isPositive, needed <= grant.status.remaining
            else {
                if waited { metrics.admissionWaited(ContinuousClock.now - started) }
                return grant
            }
            guard ContinuousClock.now - started + delay <= settings.admissionWait else {
                metrics.admissionWaited(ContinuousClock.now - started)
                metrics.refused(team: grant.team.name, model: model, protocol: api, outcome: BudgetError.Code.busy.rawValue)
                let streams = try await store.openReservations(teamID: grant.team.id).count
                throw MeteringError.budgetBusy(
                    team: grant.team.name,
                    budget: grant.team.budget,
                    available: available,
                    needed: needed,
                    held: grant.status.reserved,
                    holdingStreams: max(streams, 1),
                    retryAfterSeconds: 1,
                    resetsAt: grant.status.resetsAt,
                    key: grant.scope.key
                )
            }
            waited = true
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .milliseconds(100))
        }
    }
}
