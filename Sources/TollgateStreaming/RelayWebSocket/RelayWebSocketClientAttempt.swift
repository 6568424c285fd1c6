import AsyncHTTPClient
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization

/// One attempt of `RelayWebSocketClient` to stream over the relay's WebSocket: handshake deadline,
/// request frames, event loop, clean close. (The gateway's side of the same protocol, one client's
/// connection, is `RelayWebSocketServerSession`.)
struct RelayWebSocketClientAttempt: Sendable {
    /// How an attempt ended.
    enum Outcome: Sendable {
        /// `message_done` arrived and was delivered.
        case completed
        /// The consumer stopped; the connection was closed with 1000.
        case consumerGone
        /// Failed before content started; safe to try again. Carries whether the session event was delivered.
        case retryable(StreamingError, sessionDelivered: Bool)
        /// Failed in a way that must be reported as is.
        case failed(StreamingError)
    }

    let url: String
    let headers: [(name: String, value: String)]
    let frames: [String]
    let configuration: RelayWebSocketClient.Configuration
    let sessionAlreadyDelivered: Bool
    let handoff: EventHandoff
    let logger: Logger

    /// Runs the attempt. Cancelling the calling task closes the socket with code 1000.
    func run() async -> Outcome {
        let control = RelayAttemptControl()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Outcome, Never>) in
                guard control.install(waiter) else { return }
                let connection = Task { await self.connect(control: control) }
                let timeout = configuration.handshakeTimeout
                let deadline = Task {
                    try? await Task.sleep(for: timeout)
                    guard !Task.isCancelled, control.expireHandshake() else { return }
                    connection.cancel()
                    control.resolve(
                        .retryable(
                            StreamingError(.timeout, message: "the WebSocket handshake with \(url) took longer than \(timeout)"),
                            sessionDelivered: sessionAlreadyDelivered
                        )
                    )
                }
                control.track(connection: connection, deadline: deadline)
            }
        } onCancel: {
            control.stop()
        }
    }

    private func connect(control: RelayAttemptControl) async {
        var clientConfiguration = WebSocketClientConfiguration(
            maxFrameSize: configuration.maxFrameSize,
            additionalHeaders: Self.fields(headers),
            closeTimeout: .seconds(5),
            autoPing: configuration.heartbeat.map { .enabled(timePeriod: $0.effectivePeriod) } ?? .disabled
        )
        clientConfiguration.ignoreUncleanSSLShutdownErrors = true
        do {
            try await WebSocketClient.connect(url: url, configuration: clientConfiguration, logger: logger) { inbound, outbound, _ in
                guard control.establish(outbound: outbound) else { return }
                let outcome = await self.exchange(inbound: inbound, outbound: outbound, control: control)
                control.resolve(outcome)
            }
            control.resolve(
                .retryable(
                    StreamingError(.upstreamClosedBeforeDone, message: "the relay closed the connection before the session started"),
                    sessionDelivered: sessionAlreadyDelivered
                )
            )
        } catch {
            control.resolve(.retryable(Self.connectionError(error, url: url), sessionDelivered: sessionAlreadyDelivered))
        }
    }

    /// Sends the request and relays frames until done. Never throws, so the library closes with 1000.
    ///
    /// The relay's silence is bounded like an SSE upstream's (``StreamWatchdog``): the first content
    /// within `firstFrameTimeout`, then each next frame within `idleTimeout`; time spent handing events to
    /// a slow consumer doesn't count. Without it a relay that answered pings but sent nothing held
    /// the stream, and its hold, for good.
    private func exchange(
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        control: RelayAttemptControl
    ) async -> Outcome {
        var interpreter = RelayStreamInterpreter(sessionAlreadyDelivered: sessionAlreadyDelivered)
        func beforeContent(_ error: StreamingError) -> Outcome {
            interpreter.contentStarted ? .failed(error) : .retryable(error, sessionDelivered: interpreter.sessionWasDelivered)
        }
        let watchdog = StreamWatchdog(on: HTTPClient.defaultEventLoopGroup.any()) { control.expire($0) }
        defer { watchdog.stop() }
        do {
            for frame in frames {
                try await outbound.write(.text(frame))
            }
            var messages = inbound.messages(maxSize: configuration.maxMessageSize).makeAsyncIterator()
            while true {
                if interpreter.contentStarted {
                    watchdog.arm(configuration.idleTimeout, waitingFor: "frame")
                } else {
                    watchdog.arm(configuration.firstFrameTimeout, waitingFor: "content")
                }
                let next = try await messages.next()
                watchdog.disarm()
                if let expired = control.expiry { return beforeContent(expired) }
                guard let message = next else {
                    if control.stopRequested { return .consumerGone }
                    return beforeContent(interpreter.endedWithoutDone())
                }
                guard case .text(let text) = message else {
                    return .failed(StreamingError(.protocolViolation, message: "relay sent a binary frame; the protocol uses JSON text frames"))
                }
                switch interpreter.receive(text: text) {
                case .deliver(let events):
                    for event in events { try await handoff.send(event) }
                case .finish(let events):
                    for event in events { try await handoff.send(event) }
                    return .completed
                case .fail(let error):
                    return .failed(error)
                }
            }
        } catch {
            if let expired = control.expiry { return beforeContent(expired) }
            if error is CancellationError || control.stopRequested { return .consumerGone }
            return beforeContent(
                StreamingError(
                    .upstreamClosedBeforeDone,
                    message: "the connection failed mid-stream (\(error)); \(interpreter.endedWithoutDone().upstreamMessage ?? "")"
                )
            )
        }
    }

    private static func fields(_ headers: [(name: String, value: String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        return fields
    }

    private static func connectionError(_ error: any Error, url: String) -> StreamingError {
        if let error = error as? StreamingError { return error }
        if let error = error as? WebSocketClientError, error == .webSocketUpgradeFailed {
            return StreamingError(
                .connectionFailed,
                message: "the relay at \(url) refused the WebSocket upgrade; check the URL path (\(RelayWebSocketProtocol.path)), key and model"
            )
        }
        return StreamingError(.connectionFailed, message: "could not connect to \(url): \(error)")
    }
}
