import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import TollgateMetering
import TollgateStreaming

/// `GET /v1/ws/stream`: the relay WebSocket protocol (both request shapes), so a client written for
/// the relay works against the gateway by changing only its URL and key.
struct RelayWebSocketEndpoint: Sendable {
    static let modelHeader = HTTPField.Name("X-HolySheep-Model")!

    let metering: MeteredClient
    let authenticator: GatewayAuthenticator
    let observers: GatewayObservers

    func register(on router: Router<GatewayRequestContext>) {
        router.ws("/v1/ws/stream") { _, _ in
            // The key may come in `session.start` instead of the header, so refusals happen in-protocol.
            .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let session = RelayWebSocketSession(
                metering: metering, authenticator: authenticator, outbound: outbound,
                headerKey: context.request.headers[.authorization].flatMap(GatewayAuthenticator.bearerToken),
                headerModel: context.request.headers[Self.modelHeader], observers: observers
            )
            do {
                try await session.run(inbound)
            } catch {
                context.logger.debug("gateway WebSocket session ended with an error", metadata: ["error": "\(error)"])
            }
        }
    }
}
