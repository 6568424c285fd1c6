import Foundation
import HTTPTypes
import TollgateAdmin
import TollgateStorage

/// Turns a presented team key into its team, through `QuotaAdmin.authenticate` (constant-time hash
/// comparison), for both the HTTP and the WebSocket endpoints.
struct GatewayAuthenticator: Sendable {
    let admin: QuotaAdmin

    /// The team and key behind `Authorization: Bearer <key>`.
    func authenticate(_ headers: HTTPFields) async throws -> (team: Team, key: APIKeyRecord) {
        try await authenticate(key: headers[.authorization].flatMap(Self.bearerToken))
    }

    /// The team and key behind a key given in a frame (`auth.api_key`) or header.
    func authenticate(key: String?) async throws -> (team: Team, key: APIKeyRecord) {
        guard let key, !key.isEmpty else { throw GatewayRefusal.missingKey }
        do {
            return try await admin.authenticate(key)
        } catch {
            throw GatewayRefusal(error)
        }
    }

    /// The token of a `Bearer` authorization header, or `nil`.
    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        // Trimmed by hand: Foundation's `trimmingCharacters(in: .whitespaces)` was ~0.7 % of the
        // gateway's CPU per request. A header value holds no line breaks, so `isWhitespace` trims
        // what `.whitespaces` did.
        var token = parts[1]
        while token.first?.isWhitespace == true { token = token.dropFirst() }
        while token.last?.isWhitespace == true { token = token.dropLast() }
        return token.isEmpty ? nil : String(token)
    }
}
