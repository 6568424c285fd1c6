import TollgateCore
import TollgateStorage
import TollgateStreaming
import TollgateTokenizers

/// One iteration of a metered stream. A class so that its end of life is observable: an iterator
/// dropped mid-stream is a client that went away, and it settles what was delivered.
final class MeteredRun {
    private let session: MeterSession
    private var upstream: ChatEventStream.Iterator
    private var counters: OutputCounters
    private var timing: StreamTiming
    private var queued: [MeteredEvent] = []
    /// Output tokens the hold affords now (grows with each extension).
    private var allowed: Int
    /// The count from which the hold must be consulted (an extension is due, or the hold is passed).
    private var checkAt: Int
    private var started = false
    private var finished = false
    /// Whether the upstream sent anything past accepting the request (content, usage, done).
    private var produced = false

    init(session: MeterSession, upstream: ChatEventStream.Iterator, counters: OutputCounters) {
        self.session = session
        self.upstream = upstream
        self.counters = counters
        self.timing = StreamTiming(metrics: session.metrics, model: session.model.rawValue)
        self.allowed = session.admitted.allowedOutputTokens
        self.checkAt = session.hold.firstCheck
    }

    deinit {
        guard started, !finished else { return }
        let session = self.session
        let delivered = counters.total
        let reasoning = counters.reasoningTotal
        Task { _ = try? await session.settle(.clientDisconnected, deliveredOutputTokens: delivered, reasoningTokens: reasoning) }
    }

    /// Hands `event` out again first: a consumer that looked ahead (for the upstream's answer
    /// before writing its own response head) puts back what it took.
    func putBack(_ event: MeteredEvent) {
        queued.insert(event, at: 0)
    }

    /// Marks the stream opened; from here on, ending it any way settles it.
    func start() {
        started = true
        timing.opened()
        session.open()
    }

    /// Whether `next()` returns at once: an event queued here, the end of a finished stream, or the
    /// upstream's next event while the output is below the hold's next checkpoint (only an event
    /// that crosses it can wait, for an extension's answer or a cut's settlement, and only that
    /// one). Never the upstream's `done`, which waits for the settlement.
    var hasReadyEvent: Bool {
        if !queued.isEmpty || finished { return true }
        return started && counters.total < checkAt && upstream.hasReadyEvent
    }

    /// Ends the stream now (the upstream is dropped with the iterator) and settles what was delivered.
    func stop(_ outcome: StreamOutcome) async throws -> MeteredSummary {
        finished = true
        return try await session.settle(outcome, deliveredOutputTokens: counters.total, reasoningTokens: counters.reasoningTotal)
    }

    // The stream's consumer waits in here for most of a stream's life, and whatever this frame holds
    // across the `await` stays allocated in its task until the task ends: so the awaiting part is
    // kept small, counting is synchronous, and settling is a separate call made once.
    func next() async throws -> MeteredEvent? {
        if !queued.isEmpty { return queued.removeFirst() }
        guard !finished else { return nil }
        if !started { start() }
        let event: ChatEvent?
        do {
            event = try await upstream.next()
        } catch {
            throw await failed(error)
        }
        var step = receive(event)
        if case .hold = step { step = await awaitExtension(step) }
        switch step {
        case .pass(let event):
            return event
        case .settle(let ending):
            return try await settle(ending)
        case .hold:
            preconditionFailure("an extension wait ends in a pass or a cut")
        }
    }

    /// What one upstream event leads to.
    private enum Step {
        /// Hand this on.
        case pass(MeteredEvent)
        /// The stream ended: settle it.
        case settle(Ending)
        /// The output passed the hold while an extension is asked for: wait for the answer, then
        /// deliver or cut it.
        case hold(Pending, answers: Int)
    }

    /// Output counted but not yet handed on, with the counts from before it when a cut was possible.
    private enum Pending {
        /// A text delta of a translated stream: a cut keeps the prefix that fits.
        case text(String, before: IncrementalTokenCounter?)
        /// A relayed payload: its bytes can't be shortened, so a cut drops it whole.
        case relayed(RelayedChunk, before: OutputCounters?)

        var event: MeteredEvent {
            switch self {
            case .text(let text, _): .chat(.textDelta(text))
            case .relayed(let chunk, _): .chat(.relayed(chunk))
            }
        }
    }

    /// How a stream ended, and what goes to the consumer around its settlement.
    private struct Ending {
        var outcome: StreamOutcome
        var finishReason: String?
        /// Handed on before the settlement (`done`, or the part of a delta within budget).
        var lead: MeteredEvent?
        /// Handed on after `lead`, before the settlement.
        var cutoff: BudgetCutoff?
    }

    /// Counts `event` (a delta may be cut at the budget) and decides what follows.
    @inline(never)
    private func receive(_ event: ChatEvent?) -> Step {
        if case .sessionEstablished = event {} else { produced = true }
        guard let event else {
            // The client reports a stream that ends without `done` as an error, so this is after `done`.
            finished = true
            return .settle(Ending(outcome: .completed))
        }
        switch event {
        case .textDelta(let text):
            timing.chunk()
            return deliver(text)
        case .usage(let usage):
            session.recordUpstreamUsage(usage)
            return .pass(.chat(event))
        case .relayed(let chunk):
            if let usage = chunk.usage { session.recordUpstreamUsage(usage) }
            guard !chunk.output.isEmpty else { return .pass(.chat(event)) }
            timing.chunk()
            return deliver(chunk)
        case .done(let completion):
            finished = true
            return .settle(Ending(outcome: .completed, finishReason: completion.finishReason, lead: .chat(event)))
        case .sessionEstablished, .contentStart:
            return .pass(.chat(event))
        }
    }

    /// Settles once, queues what follows the lead, and returns the first event of the ending.
    @inline(never)
    private func settle(_ ending: Ending) async throws -> MeteredEvent {
        let summary = try await session.settle(
            ending.outcome,
            deliveredOutputTokens: counters.total,
            reasoningTokens: counters.reasoningTotal,
            finishReason: ending.finishReason,
            reason: ending.cutoff?.reason
        )
        if let cutoff = ending.cutoff { queued.append(.budgetExhausted(cutoff)) }
        queued.append(.settled(summary))
        return ending.lead ?? queued.removeFirst()
    }

    /// The upstream failed (or the consumer was cancelled): settles what was delivered, returns the error to throw.
    @inline(never)
    private func failed(_ error: any Error) async -> any Error {
        finished = true
        let outcome: StreamOutcome
        if error is CancellationError || Task.isCancelled {
            outcome = .clientDisconnected
        } else if !produced, let streaming = error as? StreamingError, let refused = StreamOutcome.beforeOutput(streaming) {
            outcome = refused
        } else {
            outcome = .upstreamError
        }
        if outcome != .clientDisconnected { session.metrics.upstreamFailed(model: session.model, error: error) }
        _ = try? await session.settle(outcome, deliveredOutputTokens: counters.total, reasoningTokens: counters.reasoningTotal)
        return error
    }

    /// Counts a delta and passes it on; near the end of the hold, asks the hold, which may extend
    /// it, hold the delta back until an extension is answered, or cut at the exact token it affords.
    private func deliver(_ text: String) -> Step {
        // A delta adds at most one token per byte (estimates: 5/4 of that, rounded up), so below this
        // bound no cut is possible and the counter needn't be copied.
        let mightCut = counters.total + 2 * text.utf8.count + 1 > allowed
        let before = mightCut ? counters.first : nil
        counters.first.append(text)
        return check(.text(text, before: before))
    }

    /// Counts a relayed payload's output over its choices, as ``deliver(_:)-(String)`` does a delta.
    /// A whole non-streamed body is never held back or cut: the upstream has produced (and bills)
    /// all of it, and its limit was already lowered to what the budget affords.
    private func deliver(_ chunk: RelayedChunk) -> Step {
        let mightCut = chunk.kind == .streamed && counters.total + 2 * chunk.outputBytes + chunk.toolCalls * counters.toolCallTokens + 1 > allowed
        let before = mightCut ? counters : nil
        counters.append(chunk.output)
        guard chunk.kind == .streamed else {
            session.delivered(outputTokens: counters.total)
            return .pass(.chat(.relayed(chunk)))
        }
        return check(.relayed(chunk, before: before))
    }

    /// Passes counted output on at once while far from the hold's limits, else consults the hold.
    private func check(_ pending: Pending) -> Step {
        guard counters.total >= checkAt || counters.total > allowed else {
            session.delivered(outputTokens: counters.total)
            return .pass(pending.event)
        }
        return consult(pending)
    }

    /// Asks the hold whether the counted output may go out.
    private func consult(_ pending: Pending) -> Step {
        switch session.hold.progress(outputTokens: counters.total) {
        case .proceed(let allowed, let checkAt):
            self.allowed = allowed
            self.checkAt = checkAt
            session.delivered(outputTokens: counters.total)
            return .pass(pending.event)
        case .wait(let answers):
            return .hold(pending, answers: answers)
        case .cut(let allowed, let cutoff, let scope):
            switch pending {
            case .text(let text, let before): return cut(text, before: before, allowed: allowed, cutoff: cutoff, scope: scope)
            case .relayed(_, let before): return cut(before: before, allowed: allowed, cutoff: cutoff, scope: scope)
            }
        }
    }

    /// Waits for the extension the output needs, then delivers or cuts it.
    @inline(never)
    private func awaitExtension(_ step: Step) async -> Step {
        var step = step
        while case .hold(let pending, let answers) = step {
            await session.hold.answered(after: answers)
            step = consult(pending)
        }
        return step
    }

    /// Cuts the stream at the exact token the hold affords: the team could not cover the next step.
    private func cut(_ text: String, before: IncrementalTokenCounter?, allowed: Int, cutoff: Money, scope: BudgetScope) -> Step {
        var prefix = text
        if var kept = before {
            prefix = Self.longestPrefix(of: text, after: &kept, within: allowed)
            counters.first = kept
        }
        return ended(cutoff: cutoff, allowed: allowed, scope: scope, lead: prefix.isEmpty ? nil : .chat(.textDelta(prefix)))
    }

    /// Cuts a relayed stream before the payload that crossed the limit: a payload is the
    /// upstream's bytes and can't be shortened, so the stream ends after the last whole payload
    /// that fits, and that one is neither sent nor billed.
    private func cut(before: OutputCounters?, allowed: Int, cutoff: Money, scope: BudgetScope) -> Step {
        if let before { counters = before }
        return ended(cutoff: cutoff, allowed: allowed, scope: scope, lead: nil)
    }

    private func ended(cutoff: Money, allowed: Int, scope: BudgetScope, lead: MeteredEvent?) -> Step {
        finished = true
        session.delivered(outputTokens: counters.total)
        var cut = BudgetCutoff(deliveredOutputTokens: counters.total, allowedOutputTokens: allowed, cutoff: cutoff)
        cut.scope = scope
        return .settle(Ending(outcome: .cutOff, lead: lead, cutoff: cut))
    }

    /// The longest prefix of `text` (whole scalars) that keeps the running count within `allowed`;
    /// `counter` ends holding that prefix. Binary search: counts only grow as text is appended.
    static func longestPrefix(of text: String, after counter: inout IncrementalTokenCounter, within allowed: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        var low = 0
        var high = scalars.count
        while low < high {
            let middle = (low + high + 1) / 2
            var trial = counter
            trial.append(String(String.UnicodeScalarView(scalars[..<middle])))
            if trial.count <= allowed { low = middle } else { high = middle - 1 }
        }
        let prefix = String(String.UnicodeScalarView(scalars[..<low]))
        counter.append(prefix)
        return prefix
    }
}
