import Hummingbird
import HummingbirdWebSocket

/// The gateway's request context: Hummingbird's storage plus the WebSocket upgrade slot, so one
/// context type serves the HTTP routes and `/v1/ws/stream`.
public struct GatewayRequestContext: RequestContext, WebSocketRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// WebSocket upgrade handler slot.
    public let webSocket: WebSocketHandlerReference<Self>

    /// Creates the context from the server's source.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
    }
}
