import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// The gateway's connections: HTTP/1 with the WebSocket upgrade, where graceful shutdown is the
/// gateway's to run, not the WebSocket library's.
///
/// Left alone, the WebSocket library closes every open WebSocket (`1000`, no explanation) the moment
/// shutdown starts, while SSE responses may run on. So each connection is handled in a task without
/// the service group's graceful-shutdown hook, and the hook only starts the gateway's
/// ``ShutdownDeadline``: SSE streams and WebSocket sessions alike then get the grace period and are
/// cut with a `gateway_shutdown` event. Stopping accepting and closing idle keep-alive HTTP
/// connections is unaffected: the server does it through channel events.
///
/// Each connection is also counted against ``ServerLimits/maxConnections`` (one over is answered by
/// ``ConnectionRefusal``) and guarded by ``HTTPConnectionGuard`` (deadlines, malformed requests).
struct GracefulStreamsChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    let base: HTTP1WebSocketUpgradeChannel
    let shutdown: ShutdownDeadline
    let limits: ServerLimits
    let connections: ConnectionLimit

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admitted = connections.admit(channel)
        return base.setup(channel: channel, logger: logger).flatMapThrowing { [limits, connections] value in
            let pipeline = channel.pipeline.syncOperations
            if admitted {
                // Last, so after the upgrade handler: it sees the decoder's errors and, on plain HTTP, every part.
                try pipeline.addHandler(HTTPConnectionGuard(limits: limits))
            } else {
                try pipeline.addHandler(ConnectionRefusal(maximum: connections.maximum), position: .first)
            }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        // A connection closed before its first head (by the head deadline, a 400, the cap) fails the
        // upgrade decision, which the library logs as an error, once per socket: a flood of idle or
        // malformed sockets would flood the log. Those closes are the guard's answers, not faults; this
        // logger serves only that line and the HTTP loop's trace lines (sessions and requests log
        // through their own loggers).
        var connectionLogger = logger
        connectionLogger.logLevel = max(logger.logLevel, .critical)
        await withGracefulShutdownHandler {
            // Detached: task locals (the shutdown hook among them) are not inherited.
            let connection = Task.detached { [connectionLogger] in await base.handle(value: value, logger: connectionLogger) }
            // The server cancelling a connection (its grace backstop) still reaches it.
            await withTaskCancellationHandler {
                await connection.value
            } onCancel: {
                connection.cancel()
            }
        } onGracefulShutdown: { [shutdown] in
            shutdown.start()
        }
    }
}

extension HTTPServerBuilder {
    private typealias Handler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>

    /// HTTP/1 with the relay WebSocket upgrade on `path`, shutdown run by `shutdown`, connections
    /// held to `limits`. A `session` that throws what the inbound stream threw closes the WebSocket
    /// with the code the library chose for it (`1007` invalid UTF-8, `1009` too big).
    static func gatewayConnections(
        path: String,
        shutdown: ShutdownDeadline,
        limits: ServerLimits,
        configuration: WebSocketServerConfiguration,
        session: @escaping @Sendable (_ head: HTTPRequest, WebSocketInboundStream, WebSocketOutboundWriter, Logger) async throws -> Void
    ) -> HTTPServerBuilder {
        let http1 = HTTP1Channel.Configuration(
            idleTimeout: TimeAmount(limits.idleTimeout),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: limits.maxHeaderBytes,
                maxHeaderListSize: limits.maxHeaderBytes,
                maxHeaderFieldCount: limits.maxHeaderCount
            )
        )
        let connections = ConnectionLimit(maximum: limits.maxConnections)
        return HTTPServerBuilder { responder in
            GracefulStreamsChannel(
                base: HTTP1WebSocketUpgradeChannel(
                    responder: responder,
                    configuration: .init(http1: http1, ws: configuration),
                    shouldUpgrade: { (head: HTTPRequest, _: any Channel, _: Logger) throws -> ShouldUpgradeResult<Handler> in
                        guard head.path?.split(separator: "?", maxSplits: 1).first.map(String.init) == path else { return .dontUpgrade }
                        let handler: Handler = { inbound, outbound, context in try await session(head, inbound, outbound, context.logger) }
                        return .upgrade([:], handler)
                    }
                ),
                shutdown: shutdown,
                limits: limits,
                connections: connections
            )
        }
    }
}
