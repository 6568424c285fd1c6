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
    static let path = "/v1/ws/stream"
    static let modelHeader = HTTPField.Name("X-HolySheep-Model")!

    let metering: MeteredClient
    let authenticator: GatewayAuthenticator
    let observers: GatewayObservers
    let shutdown: ShutdownDeadline

    /// Serves one upgraded connection. The key may come in `session.start` instead of the header, so
    /// every upgrade is accepted and refusals happen in-protocol.
    func serve(head: HTTPRequest, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async {
        let session = RelayWebSocketSession(
            metering: metering, authenticator: authenticator, outbound: outbound, shutdown: shutdown,
            headerKey: head.headerFields[.authorization].flatMap(GatewayAuthenticator.bearerToken),
            headerModel: head.headerFields[Self.modelHeader], observers: observers
        )
        do {
            try await session.run(inbound)
        } catch {
            logger.debug("gateway WebSocket session ended with an error", metadata: ["error": "\(GatewayRefusal.scrubbed(error))"])
        }
    }
}
