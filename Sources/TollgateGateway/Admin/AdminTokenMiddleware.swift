import Hummingbird
import TollgateAdmin

/// Guards `/admin`: answers 503 when no admin token is configured, 401 for anything but that token
/// (a team key included), compared in constant time.
struct AdminTokenMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token else {
            return GatewayRefusal(
                .adminDisabled,
                message:
                    "the admin API is disabled: set TOLLGATE_ADMIN_TOKEN to a secret and restart 'tollgate serve', then send 'Authorization: Bearer <that token>'"
            ).response
        }
        let presented = request.headers[.authorization].flatMap(GatewayAuthenticator.bearerToken) ?? ""
        guard KeyCodec.constantTimeEqual(KeyCodec.hash(presented), KeyCodec.hash(token)) else {
            return GatewayRefusal(
                .invalidAdminToken,
                message: "the admin API needs 'Authorization: Bearer <TOLLGATE_ADMIN_TOKEN>'; team keys are not accepted here"
            ).response
        }
        return try await next(request, context)
    }
}
