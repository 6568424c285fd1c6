import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// One streamed chat completion, read by AsyncHTTPClient's callbacks on the connection's event loop.
///
/// No task runs per stream: a body part is parsed where it arrives, its events are queued for the
/// consumer, and once more than the configuration's `readAhead` bytes wait for it the next part is not read until the
/// consumer has taken them (the future handed back to AsyncHTTPClient completes then), so TCP flow
/// control still reaches the relay. A task per
/// stream kept its deepest stack for the stream's whole life, and every event crossed one more
/// thread on its way to the consumer.
final class ChatCompletionsExchange: HTTPClientResponseDelegate, ChatEventSource {
    typealias Response = Void

    /// How the response is read.
    enum Mode: Sendable {
        /// An SSE stream whose text becomes `textDelta` events.
        case translating
        /// An SSE stream whose payloads are relayed whole (``ChatEvent/relayed(_:)``).
        case relayingStream
        /// One non-streamed body, relayed whole once it is complete.
        case relayingBody
    }

    private enum Terminal {
        case finished
        case failed(any Error)
        case consumerGone
    }

    /// What the consumer sees; guarded by one lock.
    private struct Delivery {
        var queue: [ChatEvent] = []
        var taken = 0
        var terminal: Terminal?
        var consumer: CheckedContinuation<ChatEvent?, any Error>?
        /// Completes the future AsyncHTTPClient waits on before reading the next body part.
        var readMore: EventLoopPromise<Void>?
        var task: HTTPClient.Task<Void>?
        var started = false
        var answered = false
        /// Body bytes read since the consumer last had nothing left to take: reading goes on
        /// while they stay within the configuration's `readAhead`.
        var unconsumedBytes = 0

        var isDrained: Bool { taken == queue.count }
    }

    /// What the event loop parses; only the delegate callbacks (serialised by AsyncHTTPClient) touch it.
    private struct Reading {
        var parser = ServerSentEventParser()
        var interpreter: RelayInterpreter
        var errorStatus: Int?
        var errorHeaders = HTTPHeaders()
        var errorBody = ByteBuffer()
        /// Body bytes of a successful head, and whether any of them formed an event: a body with
        /// bytes but no event is not an event stream (an HTML error page, a JSON body).
        var bodyBytes = 0
        var sawEvent = false
        var excerpt = ""
        /// A non-streamed body, collected until it is complete.
        var body = ByteBuffer()
    }

    /// What one pull from the queue gives the consumer.
    private enum Pull {
        case event(ChatEvent)
        case end
        case failure(any Error)
        case wait
    }

    private let request: HTTPClient.Request
    private let url: String
    private let httpClient: HTTPClient
    private let configuration: ChatCompletionsClient.Configuration
    private let logger: Logger
    private let delivery = Mutex(Delivery())
    private let reading: Mutex<Reading>
    private let watchdog: StreamWatchdog
    private let mode: Mode

    init(
        request: HTTPClient.Request,
        url: String,
        httpClient: HTTPClient,
        configuration: ChatCompletionsClient.Configuration,
        logger: Logger,
        mode: Mode = .translating,
        api: ChatAPI = .chatCompletions
    ) {
        self.mode = mode
        reading = Mutex(Reading(interpreter: RelayInterpreter(api: api, relays: mode != .translating)))
        self.request = request
        self.url = url
        self.httpClient = httpClient
        self.configuration = configuration
        self.logger = logger
        let abort = AbortTarget()
        // Deadlines are event-loop timers: when one passes, the consumer hears at once, even though
        // the stalled upstream never calls back again.
        watchdog = StreamWatchdog(on: httpClient.eventLoopGroup.any()) { abort.exchange?.abort($0) }
        abort.exchange = self
    }

    // MARK: Consumer side

    func start() {
        let first = delivery.withLock { delivery in
            guard !delivery.started, delivery.terminal == nil else { return false }
            delivery.started = true
            return true
        }
        guard first else { return }
        // Until the request is sent, a missing head is a connection failure (AsyncHTTPClient keeps
        // retrying a refused connect, so only this deadline ends it); `didSendRequest` then arms the
        // head deadline, which for a non-streamed answer covers generating all of it.
        watchdog.armConnect(configuration.connectTimeout)
        let task = httpClient.execute(request: request, delegate: self, eventLoop: .indifferent, deadline: nil, logger: logger)
        let alreadyOver = delivery.withLock { delivery in
            delivery.task = task
            return delivery.terminal != nil
        }
        if alreadyOver { task.cancel() }
        // The ending is decided here, not in `didReceiveError`: every failure also fails this future.
        task.futureResult.whenComplete { [self] result in
            watchdog.stop()
            let answered = delivery.withLock { delivery in
                delivery.task = nil
                return delivery.answered
            }
            switch result {
            case .success:
                end(.finished)
            case .failure(let error):
                end(.failed(ChatCompletionsClient.failure(error, answered: answered, url: url)))
            }
        }
    }

    func next() async throws -> ChatEvent? {
        try await withCheckedThrowingContinuation { (consumer: CheckedContinuation<ChatEvent?, any Error>) in
            let (pull, readMore) = delivery.withLock { delivery in
                let pull = Self.pull(&delivery)
                if case .wait = pull { delivery.consumer = consumer }
                return (pull, Self.releaseReading(&delivery))
            }
            resumeReading(readMore)
            Self.resume(consumer, with: pull)
        }
    }

    /// An event is queued and it is not `done`: after `done` the consumer settles the stream, a wait
    /// that bytes batched ahead of it should not share.
    var hasReadyEvent: Bool {
        delivery.withLock { delivery in
            guard !delivery.isDrained else { return false }
            if case .done = delivery.queue[delivery.taken] { return false }
            return true
        }
    }

    func cancel() {
        let (consumer, readMore, task) = delivery.withLock { delivery in
            let open = delivery.terminal == nil
            if open { delivery.terminal = .consumerGone }
            delivery.queue = []
            delivery.taken = 0
            defer {
                delivery.consumer = nil
                delivery.readMore = nil
            }
            // A stream that ended by `[DONE]` keeps its request so the connection can be reused.
            return (delivery.consumer, delivery.readMore, open ? delivery.task : nil)
        }
        consumer?.resume(throwing: CancellationError())
        readMore?.succeed()
        task?.cancel()
    }

    // MARK: Event-loop side

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        watchdog.disarm()
        delivery.withLock { $0.answered = true }
        guard head.status == .ok else {
            reading.withLock { reading in
                reading.errorStatus = Int(head.status.code)
                reading.errorHeaders = head.headers
            }
            watchdog.arm(configuration.firstByteTimeout, waitingFor: "error body")
            return task.eventLoop.makeSucceededVoidFuture()
        }
        // The head never waits for the consumer: the first body part should be read as soon as it comes.
        _ = deliver([.sessionEstablished(id: head.headers.first(name: "x-request-id"))], then: nil, on: nil)
        watchdog.arm(configuration.firstByteTimeout, waitingFor: "first byte of the event stream")
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        watchdog.disarm()
        guard let (events, end) = interpret(buffer) else {
            watchdog.arm(configuration.firstByteTimeout, waitingFor: "error body")
            return task.eventLoop.makeSucceededVoidFuture()
        }
        let readMore = deliver(events, then: end, on: task.eventLoop, bytes: buffer.readableBytes)
        if case .failed = end { task.cancel() }
        guard let readMore else {
            watchdog.arm(configuration.idleTimeout, waitingFor: "event-stream data")
            return task.eventLoop.makeSucceededVoidFuture()
        }
        return readMore
    }

    func didSendRequest(task: HTTPClient.Task<Void>) {
        // The upstream has the whole request now: a missing head is a slow upstream, not a connection
        // failure. (A head that came first has armed its own deadline.)
        guard !delivery.withLock({ $0.answered }) else { return }
        if mode == .relayingBody {
            watchdog.arm(configuration.completionTimeout, waitingFor: "response head of a non-streamed completion", kind: .timeout)
        } else {
            watchdog.arm(configuration.firstByteTimeout, waitingFor: "response head after the request was sent", kind: .timeout)
        }
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        let ending = reading.withLock { reading -> Result<[ChatEvent], StreamingError> in
            if let status = reading.errorStatus {
                let reply = UpstreamReply(status: status, headers: reading.errorHeaders, body: reading.errorBody)
                return .failure(.fromHTTP(status: status, message: ChatCompletionsClient.errorMessage(reading.errorBody), reply: reply))
            }
            if reading.bodyBytes > 0, !reading.sawEvent {
                return .failure(
                    StreamingError(
                        .protocolViolation,
                        message:
                            "the upstream answered 200 with \(reading.bodyBytes) bytes that are not an event stream (no 'data:' line): '\(reading.excerpt)'"
                    )
                )
            }
            let end = mode == .relayingBody ? reading.interpreter.relayBody(reading.body) : reading.interpreter.endOfBody()
            switch end {
            case .deliver: return .success([])
            case .finish(let events): return .success(events)
            case .fail(let error): return .failure(error)
            }
        }
        _ = deliver(try ending.get(), then: .finished, on: nil)
    }

    // MARK: Steps

    /// Parses a body part: the events and how the stream ends, or nil for part of an error body.
    @inline(never)
    private func interpret(_ buffer: ByteBuffer) -> ([ChatEvent], Terminal?)? {
        reading.withLock { reading in
            if reading.errorStatus == nil, mode == .relayingBody {
                guard reading.body.readableBytes + buffer.readableBytes <= configuration.maxBodySize else {
                    return (
                        [],
                        .failed(
                            StreamingError(
                                .protocolViolation,
                                message: "the upstream's chat completion body is larger than \(configuration.maxBodySize) bytes"
                            )
                        )
                    )
                }
                reading.body.writeImmutableBuffer(buffer)
                return ([], nil)
            }
            if reading.errorStatus != nil {
                let room = ChatCompletionsClient.errorBodyLimit - reading.errorBody.readableBytes
                if room > 0, let kept = buffer.getSlice(at: buffer.readerIndex, length: min(room, buffer.readableBytes)) {
                    reading.errorBody.writeImmutableBuffer(kept)
                }
                return nil
            }
            var events: [ChatEvent] = []
            if !reading.sawEvent, reading.excerpt.utf8.count < 120 {
                reading.excerpt += String(decoding: buffer.readableBytesView.prefix(120 - reading.excerpt.utf8.count), as: UTF8.self)
            }
            reading.bodyBytes += buffer.readableBytes
            for event in reading.parser.feed(buffer.readableBytesView) {
                reading.sawEvent = true
                switch reading.interpreter.receive(event) {
                case .deliver(let more):
                    events += more
                case .finish(let more):
                    return (events + more, .finished)
                case .fail(let error):
                    return (events, .failed(error))
                }
            }
            return (events, nil)
        }
    }

    /// Queues `events` (and the ending, if any) for the consumer, waking it if it waits. Returns the
    /// future the next read must wait for when events are left for the consumer to take, given
    /// `eventLoop`; nil when reading can go on at once.
    private func deliver(_ events: [ChatEvent], then end: Terminal?, on eventLoop: (any EventLoop)?, bytes: Int = 0) -> EventLoopFuture<Void>? {
        let (woken, readMore) = delivery.withLock { delivery -> ((CheckedContinuation<ChatEvent?, any Error>, Pull)?, EventLoopFuture<Void>?) in
            guard delivery.terminal == nil else { return (nil, nil) }
            if delivery.isDrained {
                delivery.queue = events
                delivery.taken = 0
                delivery.unconsumedBytes = 0
            } else {
                delivery.queue += events
            }
            delivery.unconsumedBytes += bytes
            delivery.terminal = end
            var woken: (CheckedContinuation<ChatEvent?, any Error>, Pull)?
            if let consumer = delivery.consumer {
                let pull = Self.pull(&delivery)
                if case .wait = pull {
                } else {
                    delivery.consumer = nil
                    woken = (consumer, pull)
                }
            }
            return (woken, Self.backPressure(&delivery, on: eventLoop, readAhead: configuration.readAhead))
        }
        if let (consumer, pull) = woken { Self.resume(consumer, with: pull) }
        return readMore
    }

    /// A watchdog deadline passed: the consumer hears now, and the request is cancelled.
    private func abort(_ error: StreamingError) {
        end(.failed(error))
        delivery.withLock { $0.task }?.cancel()
    }

    /// Records how the stream ended unless it already had, and wakes a waiting consumer.
    private func end(_ terminal: Terminal) {
        _ = deliver([], then: terminal, on: nil)
    }

    /// Once the consumer has taken everything, the next body part may be read.
    private func resumeReading(_ readMore: EventLoopPromise<Void>?) {
        guard let readMore else { return }
        watchdog.arm(configuration.idleTimeout, waitingFor: "event-stream data")
        readMore.succeed()
    }

    private static func pull(_ delivery: inout Delivery) -> Pull {
        if !delivery.isDrained {
            let event = delivery.queue[delivery.taken]
            delivery.taken += 1
            if delivery.isDrained {
                delivery.queue = []
                delivery.taken = 0
                delivery.unconsumedBytes = 0
            }
            return .event(event)
        }
        switch delivery.terminal {
        case nil:
            return .wait
        case .finished, .consumerGone:
            return .end
        case .failed(let error):
            delivery.terminal = .finished
            return .failure(error)
        }
    }

    /// The promise that holds the next read back while events wait for the consumer, beyond
    /// `readAhead` bytes of them.
    private static func backPressure(_ delivery: inout Delivery, on eventLoop: (any EventLoop)?, readAhead: Int) -> EventLoopFuture<Void>? {
        guard let eventLoop, !delivery.isDrained, delivery.terminal == nil, delivery.unconsumedBytes > readAhead else { return nil }
        let promise = eventLoop.makePromise(of: Void.self)
        delivery.readMore = promise
        return promise.futureResult
    }

    private static func releaseReading(_ delivery: inout Delivery) -> EventLoopPromise<Void>? {
        guard delivery.isDrained else { return nil }
        defer { delivery.readMore = nil }
        return delivery.readMore
    }

    private static func resume(_ consumer: CheckedContinuation<ChatEvent?, any Error>, with pull: Pull) {
        switch pull {
        case .event(let event): consumer.resume(returning: event)
        case .end: consumer.resume(returning: nil)
        case .failure(let error): consumer.resume(throwing: error)
        case .wait: break
        }
    }
}

/// Lets the watchdog, created in the exchange's initialiser, reach the exchange without keeping it
/// alive: the exchange owns the watchdog.
private final class AbortTarget: Sendable {
    private let target = Mutex<Weak?>(nil)

    private struct Weak: Sendable {
        weak var exchange: ChatCompletionsExchange?
    }

    var exchange: ChatCompletionsExchange? {
        get { target.withLock { $0?.exchange } }
        set { target.withLock { $0 = Weak(exchange: newValue) } }
    }
}
