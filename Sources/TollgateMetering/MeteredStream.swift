import TollgateStreaming
import TollgateTokenizers

/// A budget-enforced stream: the upstream's events with output counted as it arrives, cut at the
/// exact token the budget affords, and settled in the ledger exactly once however it ends.
///
/// Nothing happens upstream until iteration starts. Ending iteration early (a client that went
/// away) settles the tokens delivered so far; dropping the stream unread releases the hold.
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

    /// Creates the iterator; each iteration runs one upstream request.
    public func makeAsyncIterator() -> Iterator {
        Iterator(run: MeteredRun(session: session, upstream: upstream.makeAsyncIterator(), counter: counter.makeIncrementalCounter()))
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

        /// Stops the stream between events — a gateway shutting down — and settles the tokens
        /// delivered so far with `outcome`. Later calls to `next()` return `nil`.
        public mutating func stop(_ outcome: StreamOutcome) async throws -> MeteredSummary {
            try await run.stop(outcome)
        }
    }
}
