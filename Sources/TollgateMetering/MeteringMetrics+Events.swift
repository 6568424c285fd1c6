import CoreMetrics
import Foundation
import TollgateCore
import TollgateStorage
import TollgateStreaming

extension MeteringMetrics {
    static let operation = "chat"

    /// An admission decision, and the team's budget as admission saw it plus this hold.
    func admitted(team: String, model: ModelID, protocol api: MeteredProtocol, decision: AdmissionDecision, status: BudgetStatus) {
        let team = teamLabel(team)
        counter(.admissions, team, model.rawValue, decision.name, api.rawValue).increment()
        let held = decision.hold.map { status.reserved + $0 } ?? status.reserved
        budget(team: team, limit: status.limit, spent: status.spent, reserved: held)
    }

    /// A refusal before the budget was consulted (`team_disabled`).
    func refused(team: String, model: ModelID, protocol api: MeteredProtocol, outcome: String) {
        counter(.admissions, teamLabel(team), model.rawValue, outcome, api.rawValue).increment()
    }

    /// An admission that had to wait for holds to settle, admitted or refused `budget_busy` after it.
    func admissionWaited(_ duration: Duration) {
        timer(.admissionWait).recordNanoseconds(Self.nanoseconds(duration))
    }

    /// One hold extension's answer (`granted`, `refused`, `failed`) and how long the ledger took.
    func extended(team: String, model: String, outcome: String, duration: Duration) {
        counter(.holdExtensions, teamLabel(team), model, outcome).increment()
        timer(.holdExtensionDuration).recordNanoseconds(Self.nanoseconds(duration))
    }

    /// Sets a team's budget gauges; amounts in nanos of the budget's currency.
    public func budget(team: String, status: BudgetStatus) {
        budget(team: teamLabel(team), limit: status.limit, spent: status.spent, reserved: status.reserved)
    }

    private func budget(team: String, limit: Money, spent: Money, reserved: Money) {
        let currency = limit.currency.rawValue
        // Display only: a gauge is a float, exact to the nano below 2^53 nanos (9 million units).
        gauge(.budgetLimit, team, currency).record(limit.nanos)
        gauge(.budgetSpent, team, currency).record(spent.nanos)
        gauge(.budgetReserved, team, currency).record(reserved.nanos)
        gauge(.budgetRemaining, team, currency).record((limit - spent).nanos)
    }

    /// A settled stream: its tokens, cost and ending. Counted only when this settlement wrote the entry.
    func settled(_ summary: MeteredSummary, team: String, duration: Duration) {
        let team = teamLabel(team)
        let model = summary.model.rawValue
        let errorType: String =
            switch summary.outcome {
            case .completed, .cutOff: ""
            case .clientDisconnected, .upstreamError, .shutdown, .reclaimed, .upstreamRefused, .upstreamUnreachable: summary.outcome.rawValue
            }
        timer(.operationDuration, Self.operation, model, errorType).recordNanoseconds(Self.nanoseconds(duration))
        guard summary.written else { return }
        counter(.settlements, team, model, summary.outcome.rawValue).increment()
        if summary.outcome == .cutOff { counter(.cutoffs, team, model).increment() }
        usage(team: team, model: model, usage: summary.usage, valuation: summary.valuation)
    }

    /// Tokens and money of one ledger entry written for a stream.
    func usage(team: String, model: String, usage: TokenUsage, valuation: Valuation) {
        histogram(.tokenUsage, Self.operation, model, "input").record(usage.inputTokens)
        histogram(.tokenUsage, Self.operation, model, "output").record(usage.outputTokens)
        counter(.tokens, team, model, "input").increment(by: usage.inputTokens)
        counter(.tokens, team, model, "output").increment(by: usage.outputTokens)
        counter(.costUSD, team, model).increment(by: Int(valuation.relayUSD.nanos))
        counter(.costCNY, team, model).increment(by: Int(valuation.paidCNY.nanos))
        counter(.baselineCNY, team, model).increment(by: Int(valuation.baselineCNY.nanos))
    }

    /// A usage report settlement judged (invalid, under-reported, or past the hold).
    func usageChecked(_ check: UsageCheck, team: String, model: ModelID) {
        counter(.usageChecks, teamLabel(team), model.rawValue, check.rawValue).increment()
    }

    /// The upstream failed mid-stream (or before its first byte).
    func upstreamFailed(model: ModelID, error: any Error) {
        let type = (error as? StreamingError)?.kind.description ?? "other"
        counter(.upstreamErrors, model.rawValue, type).increment()
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
