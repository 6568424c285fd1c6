import Synchronization

/// The events of one chat response, pulled one at a time.
///
/// Nothing happens until iteration starts: the first `next()` opens the upstream connection, unless
/// the iterator came from `makeStartedIterator()`. Back-pressure: the upstream is only read when the
/// consumer has taken what was already read. Ending iteration early, or cancelling the consuming
/// task, closes the upstream connection (WebSocket close code 1000; the HTTP request is cancelled).
/// Failures end the sequence by throwing ``StreamingError``.
public struct ChatEventStream: AsyncSequence, Sendable {
    /// Every element is a ``ChatEvent``.
    public typealias Element = ChatEvent
    /// Errors are ``StreamingError`` (or `CancellationError` when the consumer was cancelled).
    public typealias Failure = any Error

    /// Reads the upstream and sends events into the handoff; returns after the last event.
    typealias Producer = @Sendable (EventHandoff) async throws -> Void

    private let makeSource: @Sendable () -> any ChatEventSource
    /// Applied to every ``StreamingError`` the stream ends with, so the client's own key never
    /// leaves it inside a relay's echo.
    private var scrubber: SecretScrubber?

    init(producer: @escaping Producer) {
        makeSource = { ProducerRun(producer: producer) }
    }

    init(source: @escaping @Sendable () -> any ChatEventSource) {
        makeSource = source
    }

    /// A stream that fails on first use, for requests rejected before any I/O.
    static func failing(_ error: StreamingError) -> ChatEventStream {
        ChatEventStream { _ in throw error }
    }

    /// The same stream, its errors' messages scrubbed of `scrubber`'s secrets.
    func scrubbing(_ scrubber: SecretScrubber) -> ChatEventStream {
        var copy = self
        copy.scrubber = scrubber
        return copy
    }

    /// Creates the iterator; each iterator runs its own upstream request.
    public func makeAsyncIterator() -> Iterator {
        Iterator(run: StreamRun(source: makeSource(), scrubber: scrubber))
    }

    /// Creates an iterator whose upstream request starts now, before the first `next()`: the
    /// request travels while the caller does other work (a gateway writing its response head).
    /// What arrives meanwhile waits, bounded by the same back-pressure.
    public func makeStartedIterator() -> Iterator {
        let iterator = makeAsyncIterator()
        iterator.run.source.start()
        return iterator
    }

    /// Pulls events from a running upstream request.
    public struct Iterator: AsyncIteratorProtocol, Sendable {
        fileprivate let run: StreamRun

        /// The next event, or `nil` once the stream is complete.
        public mutating func next() async throws -> ChatEvent? {
            try await run.next()
        }

        /// Whether `next()` has an event at hand that does not end the stream (it returns it
        /// without waiting for the upstream); see `ChatEventSource.hasReadyEvent`.
        public var hasReadyEvent: Bool { run.source.hasReadyEvent }
    }
}

/// Owns one iteration's source, so that dropping the iterator stops the upstream.
private final class StreamRun: Sendable {
    let source: any ChatEventSource
    let scrubber: SecretScrubber?

    init(source: any ChatEventSource, scrubber: SecretScrubber?) {
        self.source = source
        self.scrubber = scrubber
    }

    func next() async throws -> ChatEvent? {
        source.start()
        do {
            return try await withTaskCancellationHandler {
                try await source.next()
            } onCancel: {
                source.cancel()
            }
        } catch let error as StreamingError {
            throw scrubber?.scrub(error) ?? error
        }
    }

    deinit {
        source.cancel()
    }
}

/// Runs a producer task that feeds a handoff.
final class ProducerRun: ChatEventSource {
    private let handoff = EventHandoff()
    private let producer: ChatEventStream.Producer
    private let started = Atomic(false)

    init(producer: @escaping ChatEventStream.Producer) {
        self.producer = producer
    }

    func next() async throws -> ChatEvent? {
        try await handoff.next()
    }

    /// Stops the producer: the consumer is gone, so the upstream connection must close.
    func cancel() {
        // The handoff cancels the producer task it was given.
        handoff.consumerGone()
    }

    func start() {
        guard !started.exchange(true, ordering: .relaxed) else { return }
        let handoff = self.handoff
        let producer = self.producer
        // Detached: the iterator owns this task's lifetime (see `cancel()`), and it must not inherit
        // the consumer's task locals — a gateway's graceful-shutdown signal would otherwise close
        // the upstream WebSocket under a stream its grace period lets finish.
        let task = Task.detached {
            do {
                try await producer(handoff)
                handoff.finish()
            } catch {
                handoff.finish(throwing: error)
            }
        }
        handoff.attach(producer: task)
    }
}
