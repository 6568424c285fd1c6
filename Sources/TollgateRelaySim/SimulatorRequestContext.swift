import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// Request context that keeps the connection's channel, so faults can drop it abruptly as a
/// failing relay would (no close frame, no final chunk).
public struct SimulatorRequestContext: RequestContext, WebSocketRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// WebSocket upgrade handler slot.
    public let webSocket: WebSocketHandlerReference<Self>
    /// The TCP connection carrying the request.
    public let channel: any Channel

    /// Creates the context from the server's source.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
    }
}
