import Foundation
import Logging
import Synchronization
import TollgateCore
import TollgateStorage
import TollgateStreaming

/// The shared state of one admitted stream: its hold, what was delivered, and its settlement,
/// produced exactly once whichever ending path arrives first.
final class MeterSession: Sendable {
    let admitted: MeteredAdmission
    let teamID: Int64
    let keyID: Int64?
    let model: ModelID
    let localSource: TokenSource
    let metrics: MeteringMetrics
    /// The hold, the output it affords, and its extensions.
    let hold: StreamHold
    private let startedAt = ContinuousClock.now
    private let pricing: PricingTable
    private let writer: LedgerWriter
    private let clock: @Sendable () -> Date
    private let onOverrun: (@Sendable (Int64) -> Void)?
    private let outputHistory: OutputHistory?
    private let state: Mutex<State>

    private struct State: ~Copyable {
        var upstreamUsage: UpstreamUsage?
        var phase = Phase.open
        var waiters: [CheckedContinuation<MeteredSummary, any Error>] = []
    }

    private enum Phase {
        case open
        case settling
        case settled(Result<MeteredSummary, any Error>)
    }

    init(
        admitted: MeteredAdmission,
        hold: StreamHold,
        teamID: Int64,
        keyID: Int64?,
        model: ModelID,
        localSource: TokenSource,
        pricing: PricingTable,
        writer: LedgerWriter,
        metrics: MeteringMetrics,
        onOverrun: (@Sendable (Int64) -> Void)? = nil,
        outputHistory: OutputHistory? = nil,
        clock: @escaping @Sendable () -> Date
    ) {
        self.hold = hold
        self.admitted = admitted
        self.teamID = teamID
        self.keyID = keyID
        self.model = model
        self.localSource = localSource
        self.metrics = metrics
        self.pricing = pricing
        self.writer = writer
        self.clock = clock
        self.onOverrun = onOverrun
        self.outputHistory = outputHistory
        state = Mutex(State())
    }

    deinit {
        // Dropped before any iteration: the upstream never opened, so nothing is charged.
        let unopened = hold.reservation.state == .reserved
        if unopened { writer.release(admitted.requestID) }
    }

    /// The upstream is being opened.
    func open() { hold.open() }

    /// Delivered output so far, for the next group commit.
    func delivered(outputTokens: Int) { writer.recordProgress(admitted.requestID, outputTokens: outputTokens) }

    /// The upstream reported usage; it replaces Tollgate's count at settlement.
    func recordUpstreamUsage(_ usage: UpstreamUsage) { state.withLock { $0.upstreamUsage = usage } }

    /// Settles the stream once; later calls wait for and return the first settlement.
    /// `reasoningTokens` is Tollgate's count of the reasoning part of the delivered output; `reason`
    /// goes on the ledger entry (a cutoff names the budget that stopped it).
    func settle(
        _ outcome: StreamOutcome,
        deliveredOutputTokens: Int,
        reasoningTokens: Int = 0,
        finishReason: String? = nil,
        reason: String? = nil
    ) async throws -> MeteredSummary {
        let first = state.withLock { state -> Bool in
            guard case .open = state.phase else { return false }
            state.phase = .settling
            return true
        }
        guard first else { return try await settledSummary() }
        let result: Result<MeteredSummary, any Error>
        do {
            result = .success(
                try await write(
                    outcome,
                    deliveredOutputTokens: deliveredOutputTokens,
                    reasoningTokens: reasoningTokens,
                    finishReason: finishReason,
                    reason: reason
                )
            )
        } catch {
            result = .failure(error)
        }
        let waiters = state.withLock { state in
            state.phase = .settled(result)
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
        return try result.get()
    }

    /// Waits for the settlement, whoever makes it.
    func settlement() async throws -> MeteredSummary {
        try await settledSummary()
    }

    private func settledSummary() async throws -> MeteredSummary {
        try await withCheckedThrowingContinuation { continuation in
            state.withLock { state in
                if case .settled(let result) = state.phase { continuation.resume(with: result) } else { state.waiters.append(continuation) }
            }
        }
    }

    private func write(
        _ outcome: StreamOutcome,
        deliveredOutputTokens: Int,
        reasoningTokens: Int,
        finishReason: String?,
        reason: String?
    ) async throws -> MeteredSummary {
        let upstream = outcome.billsNothing ? nil : state.withLock { $0.upstreamUsage }
        let held = hold.reservation.held
        let local = try TokenUsage(inputTokens: admitted.promptTokens, outputTokens: deliveredOutputTokens).withReasoning(reasoningTokens)
        var (usage, source, check) = UpstreamUsageRule.billed(upstream: upstream, local: local, localSource: localSource)
        // Refused or unreachable before any output: the upstream charges nothing, so neither does
        // Tollgate; the local prompt count stays on the entry beside the zero.
        if outcome.billsNothing { usage = try TokenUsage(inputTokens: 0, outputTokens: 0) }
        var valuation: Valuation
        do {
            valuation = try pricing.valuation(of: usage, model: model, at: admitted.admittedAt)
        } catch {
            // A report within the token bound can still cost more than any amount may: invalid too.
            guard error.code == .outOfRange, source == .upstream else { throw error }
            (usage, source, check) = (local, localSource, .invalid)
            valuation = try pricing.valuation(of: usage, model: model, at: admitted.admittedAt)
        }
        let charge = valuation.charge(in: admitted.status.limit.currency)
        // The upstream's report is the relay's invoice: billed in full even past the hold, and the
        // excess recorded, so the team is refused while over budget and the overrun is visible.
        var overrun: Money?
        if source == .upstream, charge > held {
            check = .overrun
            overrun = charge - held
        }
        let action = hold.handle(.settle(charge))
        guard case .settle = action else {
            throw LedgerError(.rejected, "stream \(admitted.requestID) cannot be settled from state \(action)")
        }
        if let check { report(check, upstream: upstream, local: local, overrun: overrun) }
        var entry = LedgerEntry.usage(
            teamID: teamID,
            keyID: keyID,
            requestID: admitted.requestID,
            model: model,
            usage: usage,
            valuation: valuation,
            tokenSource: source,
            outcome: outcome.rawValue,
            occurredAt: admitted.admittedAt,
            recordedAt: clock(),
            localInputTokens: admitted.promptTokens,
            localOutputTokens: deliveredOutputTokens,
            admission: admitted.decision.name
        ).checked(check, overrunNanos: overrun?.nanos)
        entry.reason = reason
        let written = try await writer.settle(.init(reservationID: admitted.requestID, entry: entry))
        let summary = MeteredSummary(
            requestID: admitted.requestID,
            model: model,
            usage: usage,
            tokenSource: source,
            localInputTokens: admitted.promptTokens,
            localOutputTokens: deliveredOutputTokens,
            valuation: valuation,
            charge: charge,
            outcome: outcome,
            admission: admitted.decision,
            finishReason: finishReason,
            written: written,
            usageCheck: check,
            overrun: overrun
        )
        metrics.settled(summary, team: admitted.teamName, duration: ContinuousClock.now - startedAt)
        if written, check == .overrun { onOverrun?(teamID) }
        // Only a completed answer samples the team's output: a cut or dropped stream undercounts it.
        if written, outcome == .completed { outputHistory?.record(teamID: teamID, model: model, outputTokens: usage.outputTokens) }
        return summary
    }

    /// Logs and counts a usage report that was not simply billed as sent.
    private func report(_ check: UsageCheck, upstream: UpstreamUsage?, local: TokenUsage, overrun: Money?) {
        metrics.usageChecked(check, team: admitted.teamName, model: model)
        var logger = Logger(label: "tollgate.metering")
        logger[metadataKey: "request_id"] = "\(admitted.requestID)"
        let reported =
            upstream.map { "input \($0.inputTokens), output \($0.outputTokens)\($0.isWholeNumbers ? "" : ", not whole numbers")" } ?? "none"
        logger.warning(
            "upstream usage \(check.rawValue)",
            metadata: [
                "team": "\(admitted.teamName)", "model": "\(model)", "reported": "\(reported)",
                "counted": "input \(local.inputTokens), output \(local.outputTokens)", "overrun": "\(overrun.map(\.description) ?? "-")",
            ]
        )
    }
}
