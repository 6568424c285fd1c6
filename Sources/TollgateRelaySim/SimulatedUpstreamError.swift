import HTTPTypes
import Hummingbird
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An upstream error answer as OpenAI sends it: the status, its error body (`message`, `type`,
/// `param`, `code`), `x-request-id`, and on 429 the `Retry-After` and `x-ratelimit-*` headers an
/// SDK reads to back off (503 carries `Retry-After` too).
struct SimulatedUpstreamError: Sendable {
    let status: Int
    let retryAfterSeconds: Int
    let model: String
    /// Appended to the message: the echoed key of the `echoKey` fault, or nothing.
    let keyEcho: String

    var response: Response {
        let (type, code, message) = describe()
        let body: SimulatedJSON = .object([
            (
                "error",
                .object([
                    ("message", .string(message + keyEcho)), ("type", .string(type)), ("param", .null), ("code", code.map { .string($0) } ?? .null),
                ])
            )
        ])
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("x-request-id")!] = "req_sim" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        if status == 429 || status == 503 {
            headers[.retryAfter] = String(retryAfterSeconds)
        }
        if status == 429 {
            let fields: [(String, String)] = [
                ("x-ratelimit-limit-requests", "500"), ("x-ratelimit-remaining-requests", "0"),
                ("x-ratelimit-reset-requests", "\(retryAfterSeconds)s"), ("x-ratelimit-limit-tokens", "30000"),
                ("x-ratelimit-remaining-tokens", "0"), ("x-ratelimit-reset-tokens", "\(retryAfterSeconds)s"),
            ]
            for (name, value) in fields { headers[HTTPField.Name(name)!] = value }
        }
        return Response(
            status: .init(code: status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: body.serialized))
        )
    }

    /// OpenAI's `type`, `code` and message for the status.
    private func describe() -> (type: String, code: String?, message: String) {
        switch status {
        case 400: ("invalid_request_error", nil, "Invalid request (simulated upstream 400).")
        case 401:
            (
                "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys."
            )
        case 403: ("request_forbidden", "unsupported_country_region_territory", "Country, region, or territory not supported")
        case 404: ("invalid_request_error", "model_not_found", "The model `\(model)` does not exist or you do not have access to it.")
        case 429:
            (
                "tokens", "rate_limit_exceeded",
                "Rate limit reached for \(model) on tokens per min (TPM): Limit 30000, Used 30000, Requested 100. "
                    + "Please try again in \(retryAfterSeconds)s."
            )
        case 500: ("server_error", nil, "The server had an error while processing your request. Sorry about that!")
        case 503: ("server_error", nil, "The engine is currently overloaded, please try again later.")
        default: (status < 500 ? "invalid_request_error" : "server_error", nil, "Simulated upstream error \(status).")
        }
    }
}
