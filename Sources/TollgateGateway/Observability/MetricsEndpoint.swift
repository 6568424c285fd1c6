import Foundation
import Hummingbird
import TollgateAdmin

/// `GET /metrics`: the Prometheus text exposition of the gateway's registry, guarded by `MetricsAccess`.
struct MetricsEndpoint: Sendable {
    let metrics: GatewayMetrics
    let access: MetricsAccess

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/metrics") { request, _ in
            if let refusal = refusal(request) { return refusal.response }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
    }

    private func refusal(_ request: Request) -> GatewayRefusal? {
        switch access {
        case .open:
            return nil
        case .disabled:
            return GatewayRefusal(
                .metricsDisabled,
                message:
                    "/metrics is off because the gateway listens beyond loopback without a metrics token: set TOLLGATE_METRICS_TOKEN (and give Prometheus 'authorization: {credentials: <token>}'), or TOLLGATE_METRICS_OPEN=1 when only your scrape network reaches this port"
            )
        case .token(let token):
            let presented = request.headers[.authorization].flatMap(GatewayAuthenticator.bearerToken) ?? ""
            guard KeyCodec.constantTimeEqual(KeyCodec.hash(presented), KeyCodec.hash(token)) else {
                return GatewayRefusal(
                    .invalidMetricsToken,
                    message: "/metrics needs 'Authorization: Bearer <TOLLGATE_METRICS_TOKEN>'"
                )
            }
            return nil
        }
    }
}
