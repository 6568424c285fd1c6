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
struct GracefulStreamsChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    let base: HTTP1WebSocketUpgradeChannel
    let shutdown: ShutdownDeadline

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withGracefulShutdownHandler {
            // Detached: task locals (the shutdown hook among them) are not inherited.
            let connection = Task.detached { await base.handle(value: value, logger: logger) }
            // The server cancelling a connection (its grace backstop) still reaches it.
            await withTaskCancellationHandler { await connection.value } onCancel: { connection.cancel() }
        } onGracefulShutdown: { [shutdown] in
            shutdown.start()
        }
    }
}

extension HTTPServerBuilder {
    private typealias Handler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>

    /// HTTP/1 with the relay WebSocket upgrade on `path`, shutdown run by `shutdown`.
    static func gatewayConnections(
        path: String, shutdown: ShutdownDeadline, configuration: WebSocketServerConfiguration,
        session: @escaping @Sendable (_ head: HTTPRequest, WebSocketInboundStream, WebSocketOutboundWriter, Logger) async -> Void
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GracefulStreamsChannel(
                base: HTTP1WebSocketUpgradeChannel(
                    responder: responder, configuration: configuration,
                    shouldUpgrade: { (head: HTTPRequest, _: any Channel, _: Logger) throws -> ShouldUpgradeResult<Handler> in
                        guard head.path?.split(separator: "?", maxSplits: 1).first.map(String.init) == path else { return .dontUpgrade }
                        let handler: Handler = { inbound, outbound, context in await session(head, inbound, outbound, context.logger) }
                        return .upgrade([:], handler)
                    }
                ),
                shutdown: shutdown
            )
        }
    }
}
