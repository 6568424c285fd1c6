import Foundation
import Synchronization
import TollgateCore
import TollgateStorage

/// One stream's hold as it grows: the `Reservation` machine, the output tokens the hold affords,
/// and the extension being asked of the ledger (see `HoldExtension` for the steps).
///
/// The stream consults it only from `checkAt` tokens on (a fifth of the hold before its end), so
/// most deltas pay nothing; an extension is asked for on a task of its own, and the stream waits
/// for it only if its count passes the hold before the answer.
final class StreamHold: Sendable {
    /// What the stream may do with its count.
    enum Progress: Equatable {
        /// Deliver; consult again once the count reaches `checkAt`.
        case proceed(allowed: Int, checkAt: Int)
        /// Deliver nothing more until the extension in flight is answered (`answered(after:)`).
        case wait(answers: Int)
        /// The team can't cover the next step: deliver no more than `allowed` tokens, then settle.
        case cut(allowed: Int, cutoff: Money, scope: BudgetScope)
    }

    private struct State: ~Copyable {
        var reservation: Reservation
        var allowed: Int
        var delivered = 0
        var answers = 0
        /// Whose budget decided last: the admission's, then each extension's.
        var scope: BudgetScope
        var waiters: [(after: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state: Mutex<State>
    private let request: AdmissionRequest
    private let currency: Currency
    private let steps: HoldExtension
    private let draft: ReservationDraft
    private let store: any LedgerStore
    private let metrics: MeteringMetrics
    private let labels: (team: String, model: String)

    init(admitted: MeteredAdmission, request: AdmissionRequest, draft: ReservationDraft, store: any LedgerStore, metrics: MeteringMetrics) {
        let currency = admitted.status.limit.currency
        let steps = HoldExtension(firstHeldOutputTokens: admitted.allowedOutputTokens)
        var lead: Money?
        // A soft overrun's cutoff is all the budget had left: there is nothing to extend from.
        if case .softOverrun = admitted.decision {
        } else {
            let allowed = admitted.allowedOutputTokens
            lead =
                request.worstCase(in: currency, outputTokens: allowed)
                - request.worstCase(in: currency, outputTokens: max(0, allowed - steps.leadTokens))
        }
        let reservation = Reservation(held: admitted.decision.hold ?? .zero(currency), cutoff: admitted.decision.cutoff, lead: lead)
        state = Mutex(State(reservation: reservation, allowed: admitted.allowedOutputTokens, scope: admitted.scope))
        self.request = request
        self.currency = currency
        self.steps = steps
        self.draft = draft
        self.store = store
        self.metrics = metrics
        labels = (admitted.teamName, draft.model.rawValue)
    }

    /// The token count from which the stream must consult `progress` at first.
    var firstCheck: Int { state.withLock { Self.checkpoint($0, steps) } }

    /// The reservation's state (for settlement and tests).
    var reservation: Reservation { state.withLock { $0.reservation } }

    /// The upstream is being opened.
    func open() { state.withLock { _ = $0.reservation.handle(.open) } }

    /// Runs a settlement-side event (`settle`, `release`, `expire`) through the machine.
    func handle(_ event: Reservation.Event) -> Reservation.Action { state.withLock { $0.reservation.handle(event) } }

    /// The stream has counted `outputTokens`: may it deliver them?
    func progress(outputTokens: Int) -> Progress {
        let cost = self.cost(outputTokens: outputTokens)
        let (action, progress) = state.withLock { state -> (Reservation.Action, Progress) in
            state.delivered = max(state.delivered, outputTokens)
            let action = state.reservation.handle(.progress(cost))
            // The money covers it (a conversion rounding can leave room for a token more than counted).
            if action == .proceed || action == .extend(wait: false), outputTokens > state.allowed { state.allowed = outputTokens }
            switch action {
            case .extend(wait: true), .awaitExtension:
                return (action, .wait(answers: state.answers))
            case .cutOff:
                return (action, .cut(allowed: state.allowed, cutoff: state.reservation.cutoff, scope: state.scope))
            default:
                return (action, .proceed(allowed: state.allowed, checkAt: Self.checkpoint(state, steps)))
            }
        }
        if case .extend = action { Task { await self.extend() } }
        return progress
    }

    /// Returns once more than `answers` extension answers have arrived.
    func answered(after answers: Int) async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                guard state.answers <= answers else { return true }
                state.waiters.append((answers, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func cost(outputTokens: Int) -> Money {
        request.worstCase(in: currency, outputTokens: outputTokens)
    }

    /// Where the stream next needs to consult: ahead of the hold by the lead while no extension is
    /// asked for, else only past the hold.
    private static func checkpoint(_ state: borrowing State, _ steps: HoldExtension) -> Int {
        state.reservation.extensionState == .idle && state.reservation.lead != nil
            ? max(0, state.allowed - steps.leadTokens) : state.allowed + 1
    }

    /// Asks the ledger for steps until the machine stops asking (granted, or refused and cut).
    private func extend() async {
        while true {
            let (target, amount) = state.withLock { state -> (Int, Money) in
                let target = max(state.allowed, state.delivered) + steps.stepTokens
                let more = request.worstCase(in: currency, outputTokens: target) - state.reservation.held
                return (target, more.isPositive ? more : .zero(currency))
            }
            let started = ContinuousClock.now
            let outcome: String
            var scope: BudgetScope?
            do {
                let grant = try await store.extendHold(draft) { _, status in
                    HoldExtension.decide(amount: amount, targetOutputTokens: target, status: status)
                }
                outcome = grant.decision.hold == nil ? "refused" : "granted"
                scope = grant.scope
            } catch {
                // A hold already settled, or a ledger that can't answer: fail closed, as admission does.
                outcome = "failed"
            }
            metrics.extended(team: labels.team, model: labels.model, outcome: outcome, duration: ContinuousClock.now - started)
            let (next, waiters) = state.withLock { state in
                let next = state.reservation.handle(outcome == "granted" ? .extended(amount) : .extensionRefused)
                if outcome == "granted" { state.allowed = max(state.allowed, target) }
                if let scope { state.scope = scope }
                state.answers += 1
                let ready = state.waiters.filter { $0.after < state.answers }
                state.waiters.removeAll { $0.after < state.answers }
                return (next, ready)
            }
            for waiter in waiters { waiter.continuation.resume() }
            guard case .extend = next else { return }
        }
    }
}
