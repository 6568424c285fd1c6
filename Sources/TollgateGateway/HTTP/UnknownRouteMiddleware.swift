import Hummingbird
import TollgateStreaming

/// Answers a request that no route matched (an unknown path, or a known path with another method)
/// with a JSON 404 in the gateway's error shape, instead of Hummingbird's empty body, so clients
/// parsing `{"error":...}` get a reason.
///
/// Added to the router after every route: a router middleware applies only to routes added after
/// it, and always to the not-found responder, so no matched request passes through it.
struct UnknownRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // The path as sent: `uri.path` is empty for one that isn't valid percent-encoding.
            return GatewayRefusal.unknownRoute(method: request.method.rawValue, path: request.head.path ?? request.uri.path).response
        }
    }
}

extension GatewayRefusal {
    /// No route for this method and path.
    static func unknownRoute(method: String, path: String) -> GatewayRefusal {
        GatewayRefusal(
            .unknownRoute,
            message: "no route for \(method) \(path): the gateway serves POST /v1/chat/completions, GET /v1/models, \(RelayWebSocketProtocol.path), "
                + "/healthz, /readyz, /metrics, /dashboard and /admin/... (see the README's Gateway section)"
        )
    }
}
