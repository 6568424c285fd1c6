import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import TollgateMetering
import TollgateStreaming

/// `GET /v1/ws/stream`: the relay WebSocket protocol (both request shapes), so a client written for
/// the relay works against the gateway by changing only its URL and key.
struct RelayWebSocketEndpoint: Sendable {
    static let path = RelayWebSocketProtocol.path
    static let modelHeader = HTTPField.Name(RelayWebSocketProtocol.modelHeader)!
    /// Largest client frame and message, in bytes; a bigger one is closed with `1009 message too big`.
    static let maxFrameSize = 1 << 20

    let metering: MeteredClient
    let authenticator: GatewayAuthenticator
    let observers: GatewayObservers
    let shutdown: ShutdownDeadline

    /// Serves one upgraded connection. The key may come in `session.start` instead of the header, so
    /// every upgrade is accepted and refusals happen in-protocol.
    ///
    /// Rethrows what ended the session: the WebSocket library closes with the code of a protocol
    /// error it raised while reading (`1007` for invalid UTF-8, `1009` for a message over the limit),
    /// which would otherwise become a plain `1000`.
    func serve(head: HTTPRequest, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async throws {
        let session = RelayWebSocketServerSession(
            metering: metering,
            authenticator: authenticator,
            outbound: outbound,
            shutdown: shutdown,
            headerKey: head.headerFields[.authorization].flatMap(GatewayAuthenticator.bearerToken),
            headerModel: head.headerFields[Self.modelHeader],
            observers: observers
        )
        do {
            try await session.run(inbound)
        } catch {
            logger.debug("gateway WebSocket session ended with an error", metadata: ["error": "\(GatewayRefusal.scrubbed(error))"])
            throw error
        }
    }
}
