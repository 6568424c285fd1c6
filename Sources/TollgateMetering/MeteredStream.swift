import Synchronization
import TollgateStreaming
import TollgateTokenizers

/// A budget-enforced stream: the upstream's events with output counted as it arrives, cut at the
/// exact token the budget affords, and settled in the ledger exactly once however it ends.
///
/// Nothing happens upstream until iteration starts, unless `startingUpstream()` asked for it sooner.
/// Ending iteration early (a client that went away) settles the tokens delivered so far; dropping
/// the stream unread releases the hold, or, once the upstream was started, settles it as
/// `client_disconnected` with no output (the upstream has seen the prompt, so the prompt is billed).
public struct MeteredStream: AsyncSequence, Sendable {
    /// Every element is a `MeteredEvent`.
    public typealias Element = MeteredEvent
    /// Upstream failures (`StreamingError`) and cancellation end the sequence by throwing.
    public typealias Failure = any Error

    /// What admission decided, before any upstream I/O.
    public var admission: MeteredAdmission { session.admitted }

    let session: MeterSession
    let upstream: ChatEventStream
    let counter: ModelTokenCounter
    var started: StartedRun?

    init(session: MeterSession, upstream: ChatEventStream, counter: ModelTokenCounter) {
        self.session = session
        self.upstream = upstream
        self.counter = counter
    }

    /// This stream with its upstream request already sent, so the request travels while the caller
    /// does other work (a gateway writing its response head). The first iteration continues it;
    /// iterate the returned stream once. Dropped unread, it settles as `client_disconnected`.
    public func startingUpstream() -> MeteredStream {
        var stream = self
        let run = MeteredRun(session: session, upstream: upstream.makeStartedIterator(), counters: OutputCounters(model: counter))
        run.start()
        stream.started = StartedRun(run)
        return stream
    }

    /// Creates the iterator; each iteration runs one upstream request (the first one of a started
    /// stream continues the request already sent).
    public func makeAsyncIterator() -> Iterator {
        if let run = started?.take() { return Iterator(run: run) }
        return Iterator(run: MeteredRun(session: session, upstream: upstream.makeAsyncIterator(), counters: OutputCounters(model: counter)))
    }

    /// The settlement, once the stream has ended by any path (after an upstream error, or after
    /// leaving the loop early). It never settles anything itself: ending the stream does.
    public func summary() async throws -> MeteredSummary {
        try await session.settlement()
    }

    /// Pulls metered events.
    public struct Iterator: AsyncIteratorProtocol {
        let run: MeteredRun

        /// The next event, or `nil` after the settlement.
        public mutating func next() async throws -> MeteredEvent? {
            try await run.next()
        }

        /// Whether `next()` returns an event already at hand (or the end, after the settlement)
        /// without waiting for the upstream or the ledger: a consumer writes what it has in one go
        /// while this is `true`.
        public var hasReadyEvent: Bool { run.hasReadyEvent }

        /// Stops the stream between events — a gateway shutting down — and settles the tokens
        /// delivered so far with `outcome`. Later calls to `next()` return `nil`.
        public mutating func stop(_ outcome: StreamOutcome) async throws -> MeteredSummary {
            try await run.stop(outcome)
        }
    }
}

/// The run a started stream's first iteration takes over; released untaken, the run settles itself.
final class StartedRun: Sendable {
    private let run: Mutex<MeteredRun?>

    init(_ run: consuming sending MeteredRun) {
        self.run = Mutex(run)
    }

    func take() -> MeteredRun? {
        run.withLock { $0.take() }
    }
}
