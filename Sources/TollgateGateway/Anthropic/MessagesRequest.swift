import Foundation
import HTTPTypes
import TollgateStreaming

/// A `POST /v1/messages` body: the client's bytes and parse, forwarded as they are except a
/// lowered `max_tokens` (see ``ChatRequestBody/upstreamBytes(outputLimit:)``), and the request
/// admission reads from it.
///
/// Only what metering needs is checked, with Anthropic's own rules for those fields: `model`, a
/// non-empty `messages` list of objects with a `role`, a whole `max_tokens` ≥ 1 (Anthropic
/// requires it), `stream`. Everything else — system blocks, `cache_control`, tools, `thinking`,
/// images, documents, metadata, fields not yet invented — is the upstream's to judge.
struct MessagesRequest: Sendable {
    let body: ChatRequestBody
    let chatRequest: ChatRequest

    /// The model the client asked for.
    var model: String { chatRequest.model }
    /// Whether the client asked for a stream.
    var isStreaming: Bool { body.isStreaming }

    /// The client headers forwarded upstream as sent.
    static let forwarded = ["anthropic-version", "anthropic-beta"]

    /// Reads and checks a body; every problem is a 400 `invalid_request_error` that says what to send.
    init(_ data: Data, headers: HTTPFields) throws {
        let body: ChatRequestBody
        do {
            body = try ChatRequestBody(bytes: Array(data), api: .anthropicMessages)
        } catch {
            throw GatewayRefusal.invalidRequest("the body is not JSON: send a Messages request object")
        }
        let json = body.json
        guard case .string(let model)? = json["model"] else {
            throw GatewayRefusal.invalidRequest("model: Field required: send a string such as \"claude-sonnet-4.5\"")
        }
        guard case .array(let messages)? = json["messages"], !messages.isEmpty else {
            throw GatewayRefusal.invalidRequest("messages: Field required: send a non-empty list of {\"role\": \"user\", \"content\": ...} objects")
        }
        for (index, message) in messages.enumerated() {
            guard case .object(let fields) = message, case .string = fields["role"] else {
                throw GatewayRefusal.invalidRequest(
                    "messages.\(index): each message must be an object with a string 'role' (\"user\" or \"assistant\")"
                )
            }
        }
        guard let maxTokens = json["max_tokens"] else {
            throw GatewayRefusal.invalidRequest("max_tokens: Field required: the Messages API needs the most tokens to generate, such as 1024")
        }
        guard case .integer(let limit) = maxTokens, limit >= 1 else {
            throw GatewayRefusal.invalidRequest("max_tokens: must be a whole number of at least 1, such as 1024")
        }
        if let stream = json["stream"], stream != .null, stream != .bool(true), stream != .bool(false) {
            throw GatewayRefusal.invalidRequest("stream: must be true or false")
        }
        var request = ChatRequest(model: model, messages: [], maxTokens: Int(clamping: limit), body: body)
        for name in Self.forwarded {
            if let field = HTTPField.Name(name), let value = headers[field] { request.forwardedHeaders[name] = value }
        }
        chatRequest = request
        self.body = body
    }
}
