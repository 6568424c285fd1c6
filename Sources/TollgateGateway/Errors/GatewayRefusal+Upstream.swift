import Foundation
import HTTPTypes
import TollgateStreaming

extension GatewayRefusal {
    /// The refusal for an upstream failure that came before any output, so before anything was
    /// sent to the client: the upstream's own status and code where it gave them (a WebSocket
    /// `error` event carries the status and the upstream's code beside a fixed `code`; an HTTP
    /// client gets the upstream's reply itself, see
    /// ``upstreamResponse(_:error:requestID:)``), and Tollgate's `upstream_*` codes for what it observed.
    static func upstreamBeforeOutput(_ error: any Error) -> GatewayRefusal {
        guard let error = error as? StreamingError else { return .upstream(error) }
        let said = SecretScrubber().scrub(error.upstreamMessage ?? error.kind.description)
        switch error.kind {
        case .authenticationFailed:
            // Never the upstream's words: they may quote the key it refused.
            return GatewayRefusal(
                .upstreamAuthFailed,
                message: "the upstream relay refused the gateway's own upstream credentials\(error.httpStatus.map { " (HTTP \($0))" } ?? ""): "
                    + "your team key is fine; the gateway's operator must fix its upstream key (TOLLGATE_UPSTREAM_KEY). Nothing was charged."
            )
        case .connectionFailed:
            return GatewayRefusal(
                .upstreamUnreachable,
                message: "the gateway could not reach its upstream relay (\(said)): the request was not sent and nothing was charged. "
                    + "Retry shortly; if it persists, the operator should check the upstream URL and the network."
            )
        case .timeout:
            return GatewayRefusal(
                .upstreamTimeout,
                message:
                    "the upstream relay did not start answering in time (\(said)): the prompt was billed, since the upstream had it. Retry the request."
            )
        case .protocolViolation:
            return GatewayRefusal(
                .upstreamMalformed,
                message: "the upstream relay answered with something that is not an OpenAI chat completion (\(said)): the prompt was billed, "
                    + "since the upstream had it. Retry; if it persists, the operator should check that the upstream URL is an OpenAI-compatible endpoint."
            )
        case .rateLimited, .unknownModel, .badRequest, .upstreamError:
            return refused(error, said: said)
        default:
            return .upstream(error)
        }
    }

    /// An upstream that refused the request with an error of its own: its status, code and message.
    private static func refused(_ error: StreamingError, said: String) -> GatewayRefusal {
        let body = error.reply.flatMap { try? JSONDecoder().decode(UpstreamErrorBody.self, from: Data($0.body)) }?.error
        let fallback: RefusalCode =
            switch error.kind {
            case .rateLimited: .upstreamRateLimited
            case .unknownModel: .upstreamUnknownModel
            case .badRequest: .upstreamBadRequest
            default: .upstreamError
            }
        let status = error.reply?.status ?? error.httpStatus.flatMap { (400...599).contains($0) ? $0 : nil } ?? Int(fallback.status.code)
        var refusal = GatewayRefusal(
            status: HTTPResponse.Status(code: status),
            code: fallback.rawValue,
            type: fallback.type,
            message: "the upstream relay refused the request (HTTP \(status)): \(said). Nothing was charged."
        )
        // The code stays one of the gateway's fixed codes (clients and metrics key on it); the
        // upstream's own code and type ride beside it.
        if let code = body?.code { refusal.details["upstream_code"] = .text(code) }
        if let type = body?.type { refusal.details["upstream_type"] = .text(type) }
        if let retryAfter = error.reply?.headers.first(where: { $0.name == "retry-after" })?.value {
            refusal.details["retry_after"] = .text(retryAfter)
            refusal.retryAfterSeconds = Int(retryAfter)
        }
        return refusal
    }

    /// What an HTTP client is sent for an upstream failure before any output: the upstream's own
    /// reply (status, `Content-Type`, `Retry-After`, `retry-after-ms`, `x-ratelimit-*`, body bytes
    /// scrubbed of the upstream key) when it refused with anything but 401/403, else the
    /// refusal's JSON; both with `X-Tollgate-Request-Id`.
    /// `anthropic`: the refusal's JSON in Anthropic's shape (the `/v1/messages` endpoints).
    static func upstreamResponse(
        _ refusal: GatewayRefusal,
        error: any Error,
        requestID: String,
        anthropic: Bool = false
    ) -> (status: HTTPResponse.Status, headers: HTTPFields, body: Data) {
        var headers = HTTPFields()
        headers[GatewayHeader.requestID] = requestID
        guard refusal.code != RefusalCode.upstreamAuthFailed.rawValue, let reply = (error as? StreamingError)?.reply, !reply.body.isEmpty else {
            headers[.contentType] = "application/json"
            if let retryAfterSeconds = refusal.retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
            return (refusal.status, headers, anthropic ? refusal.anthropicBody : refusal.body)
        }
        for header in reply.headers {
            guard let name = HTTPField.Name(header.name) else { continue }
            headers.append(HTTPField(name: name, value: header.value))
        }
        if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return (HTTPResponse.Status(code: reply.status), headers, Data(reply.body))
    }
}

/// The parts of an upstream's `{"error":{...}}` body a WebSocket `error` event carries on.
private struct UpstreamErrorBody: Decodable {
    struct Detail: Decodable {
        let type: String?
        let code: String?

        enum CodingKeys: String, CodingKey { case type, code }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try? container.decodeIfPresent(String.self, forKey: .type)
            // Some relays send a numeric code (`"code": 429`).
            code =
                (try? container.decodeIfPresent(String.self, forKey: .code))
                ?? (try? container.decodeIfPresent(Int.self, forKey: .code)).flatMap { $0.map(String.init) }
        }
    }
    let error: Detail
}
