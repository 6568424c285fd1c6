import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension GatewayRefusal {
    /// Anthropic's error type for this refusal's status (docs.anthropic.com, "Errors"), which the
    /// Anthropic SDKs map to their error classes: 402 `billing_error` for a budget refusal or cut,
    /// 429 `rate_limit_error` for `budget_busy` (retried after `Retry-After`), 502/503 `api_error`.
    var anthropicType: String {
        switch status.code {
        case 400, 409, 422: "invalid_request_error"
        case 401: "authentication_error"
        case 402: "billing_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 408, 504: "timeout_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 529: "overloaded_error"
        default: "api_error"
        }
    }

    /// `{"type":"error","error":{"type":…,"message":…,"code":…,…details}}`: Anthropic's shape,
    /// with Tollgate's stable `code` and details beside its fields.
    var anthropicBody: Data {
        var fields = self.fields
        fields["type"] = .text(anthropicType)
        return (try? JSONEncoder.gateway.encode(AnthropicEnvelope(error: fields))) ?? Data()
    }

    /// The refusal as an HTTP response in Anthropic's shape.
    var anthropicResponse: Response {
        var headers: HTTPFields = [:]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response.json(status: status, anthropicBody, headers: headers)
    }

    /// No team key in `x-api-key` or `Authorization: Bearer`.
    static let missingAnthropicKey = GatewayRefusal(
        .invalidAPIKey,
        message:
            "missing API key: send your team key as 'x-api-key: <team key>' (what the Anthropic SDK sends) or 'Authorization: Bearer <team key>' "
            + "(create one with 'tollgate key create --team NAME')"
    )

    private struct AnthropicEnvelope: Encodable {
        var type = "error"
        let error: [String: Detail]
    }
}
