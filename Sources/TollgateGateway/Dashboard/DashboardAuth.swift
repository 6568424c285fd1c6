import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateAdmin

/// Who may see `/dashboard`: the admin token, presented the way a browser can.
///
/// A browser can't attach a bearer header to a typed URL, so `/dashboard?token=<TOLLGATE_ADMIN_TOKEN>`
/// is accepted once: it answers a redirect to `/dashboard` (so the token leaves the address bar and
/// history) setting an `HttpOnly; SameSite=Strict` cookie scoped to `/dashboard`. The cookie holds a
/// SHA-256 of the token, never the token: it opens the dashboard only (the admin API accepts no cookie),
/// and changing the token invalidates every cookie. `Authorization: Bearer <token>` works too (curl).
struct DashboardAuth: Sendable {
    static let cookieName = "tollgate_dashboard"

    let token: String?

    /// What to do with a request.
    enum Verdict {
        /// Serve the page.
        case allowed
        /// Answer this instead (login redirect, or a refusal page).
        case answer(Response)
    }

    func check(_ request: Request) -> Verdict {
        guard let token else {
            return .answer(
                Self.page(
                    .serviceUnavailable,
                    "The dashboard is disabled",
                    "Set TOLLGATE_ADMIN_TOKEN to a secret, restart tollgate serve, then open /dashboard?token=&lt;that token&gt; once."
                )
            )
        }
        if let presented = request.uri.queryParameters.get("token") {
            guard matches(presented, token) else {
                return .answer(
                    Self.page(
                        .unauthorized,
                        "Wrong admin token",
                        "Open /dashboard?token=&lt;TOLLGATE_ADMIN_TOKEN&gt; with the gateway's admin token."
                    )
                )
            }
            var headers = HTTPFields()
            headers[.location] = "/dashboard"
            headers[.setCookie] = "\(Self.cookieName)=\(Self.session(token)); Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=43200"
            headers[.cacheControl] = "no-store"
            return .answer(Response(status: .seeOther, headers: headers))
        }
        if let bearer = request.headers[.authorization].flatMap(GatewayAuthenticator.bearerToken), matches(bearer, token) {
            return .allowed
        }
        if let cookie = Self.cookie(request.headers[values: .cookie]),
            KeyCodec.constantTimeEqual(Data(cookie.utf8), Data(Self.session(token).utf8))
        {
            return .allowed
        }
        return .answer(
            Self.page(
                .unauthorized,
                "Admin token needed",
                "Open /dashboard?token=&lt;TOLLGATE_ADMIN_TOKEN&gt; once; the browser then keeps a session cookie for 12 hours."
            )
        )
    }

    private func matches(_ presented: String, _ token: String) -> Bool {
        KeyCodec.constantTimeEqual(KeyCodec.hash(presented), KeyCodec.hash(token))
    }

    /// The cookie value for `token`: hex SHA-256 of a label and the token.
    static func session(_ token: String) -> String {
        KeyCodec.hash("tollgate-dashboard-session:" + token).map { String(format: "%02x", $0) }.joined()
    }

    static func cookie(_ headers: [String]) -> String? {
        for header in headers {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == cookieName { return String(pair[1]) }
            }
        }
        return nil
    }

    /// A small HTML refusal page; `detail` is trusted markup.
    static func page(_ status: HTTPResponse.Status, _ title: String, _ detail: String) -> Response {
        let html =
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Tollgate — \(title)</title></head>"
            + "<body><h1>\(title)</h1><p>\(detail)</p></body></html>\n"
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: .init(string: html)))
    }
}
