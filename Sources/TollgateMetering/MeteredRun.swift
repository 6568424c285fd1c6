import TollgateCore
import TollgateStreaming
import TollgateTokenizers

/// One iteration of a metered stream. A class so that its end of life is observable: an iterator
/// dropped mid-stream is a client that went away, and it settles what was delivered.
final class MeteredRun {
    private let session: MeterSession
    private var upstream: ChatEventStream.Iterator
    private var counter: IncrementalTokenCounter
    private var timing: StreamTiming
    private var queued: [MeteredEvent] = []
    private var started = false
    private var finished = false

    init(session: MeterSession, upstream: ChatEventStream.Iterator, counter: IncrementalTokenCounter) {
        self.session = session
        self.upstream = upstream
        self.counter = counter
        self.timing = StreamTiming(metrics: session.metrics, model: session.model.rawValue)
    }

    deinit {
        guard started, !finished else { return }
        let session = self.session
        let delivered = counter.count
        Task { _ = try? await session.settle(.clientDisconnected, deliveredOutputTokens: delivered) }
    }

    /// Ends the stream now (the upstream is dropped with the iterator) and settles what was delivered.
    func stop(_ outcome: StreamOutcome) async throws -> MeteredSummary {
        finished = true
        return try await session.settle(outcome, deliveredOutputTokens: counter.count)
    }

    func next() async throws -> MeteredEvent? {
        if !queued.isEmpty { return queued.removeFirst() }
        guard !finished else { return nil }
        if !started {
            started = true
            timing.opened()
            session.open()
        }
        let event: ChatEvent?
        do {
            event = try await upstream.next()
        } catch {
            finished = true
            let outcome: StreamOutcome = error is CancellationError || Task.isCancelled ? .clientDisconnected : .upstreamError
            if outcome == .upstreamError { session.metrics.upstreamFailed(model: session.model, error: error) }
            _ = try? await session.settle(outcome, deliveredOutputTokens: counter.count)
            throw error
        }
        guard let event else {
            // The client reports a stream that ends without `done` as an error, so this is after `done`.
            finished = true
            return .settled(try await session.settle(.completed, deliveredOutputTokens: counter.count))
        }
        switch event {
        case .textDelta(let text):
            timing.chunk()
            return try await deliver(text)
        case .usage(let usage):
            session.recordUpstreamUsage(usage)
            return .chat(event)
        case .done(let completion):
            finished = true
            let summary = try await session.settle(.completed, deliveredOutputTokens: counter.count, finishReason: completion.finishReason)
            queued.append(.settled(summary))
            return .chat(event)
        case .sessionEstablished, .contentStart:
            return .chat(event)
        }
    }

    /// Counts a delta and passes it on, or cuts the stream at the exact token the budget affords.
    private func deliver(_ text: String) async throws -> MeteredEvent {
        let allowed = session.admitted.allowedOutputTokens
        // A delta adds at most one token per byte (estimates: 5/4 of that, rounded up), so below this
        // bound no cut is possible and the counter needn't be copied.
        let mightCut = counter.count + 2 * text.utf8.count + 1 > allowed
        let before = mightCut ? counter : nil
        counter.append(text)
        guard counter.count > allowed, var kept = before else {
            session.delivered(outputTokens: counter.count)
            return .chat(.textDelta(text))
        }
        let prefix = Self.longestPrefix(of: text, after: &kept, within: allowed)
        counter = kept
        finished = true
        session.delivered(outputTokens: counter.count)
        let summary = try await session.settle(.cutOff, deliveredOutputTokens: counter.count)
        let cutoff = BudgetCutoff(
            deliveredOutputTokens: counter.count, allowedOutputTokens: allowed,
            cutoff: session.admitted.decision.cutoff ?? .zero(session.admitted.status.limit.currency)
        )
        queued = [.budgetExhausted(cutoff), .settled(summary)]
        return prefix.isEmpty ? queued.removeFirst() : .chat(.textDelta(prefix))
    }

    /// The longest prefix of `text` (whole scalars) that keeps the running count within `allowed`;
    /// `counter` ends holding that prefix. Binary search: counts only grow as text is appended.
    static func longestPrefix(of text: String, after counter: inout IncrementalTokenCounter, within allowed: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        var low = 0, high = scalars.count
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
