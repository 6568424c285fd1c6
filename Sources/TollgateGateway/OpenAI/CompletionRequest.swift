import Foundation
import TollgateStreaming

/// A `POST /v1/chat/completions` body: the client's bytes and parse (forwarded as they are, see
/// ``ChatRequestBody``), and the transport-independent request admission reads from it.
///
/// Only what metering needs is checked (``ChatRequestRules``): `model`, a non-empty `messages`
/// list of objects with a `role`, the token limits, `n`, `stream`. Everything else — every role,
/// part arrays, tools, `name`, fields Tollgate does not know — is the upstream's to judge.
struct CompletionRequest: Sendable {
    let body: ChatRequestBody
    let chatRequest: ChatRequest

    /// The model the client asked for.
    var model: String { chatRequest.model }
    /// Whether the client asked for a stream.
    var isStreaming: Bool { body.isStreaming }
    /// Whether the client asked for the usage chunk.
    var includeUsage: Bool { body.clientAsksForUsage }

    /// The fields the request's text view (for the relay WebSocket protocol) models itself.
    private static let modelled: Set<String> = [
        "model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "temperature", "top_p", "n",
    ]

    /// Reads and checks a body; every problem is an `invalid_request` refusal that says what to send.
    init(_ data: Data) throws {
        let body: ChatRequestBody
        do {
            body = try ChatRequestBody(bytes: Array(data))
        } catch {
            throw GatewayRefusal.invalidRequest("the body is not JSON: send a chat completion request object")
        }
        let json = body.json
        guard case .string(let model)? = json["model"] else {
            if json["model"] == nil { throw ChatRequestRules.missing("model") }
            throw GatewayRefusal.invalidRequest("field 'model' is invalid: it must be a string, such as \"gpt-4.1\"")
        }
        guard case .array(let messages)? = json["messages"] else {
            if json["messages"] == nil { throw ChatRequestRules.missing("messages") }
            throw GatewayRefusal.invalidRequest("field 'messages' is invalid: it must be a list of {\"role\": ..., \"content\": ...} objects")
        }
        try ChatRequestRules.check(messageCount: messages.count)
        for (index, message) in messages.enumerated() {
            guard case .object(let fields) = message, case .string = fields["role"] else {
                throw GatewayRefusal.invalidRequest(
                    "messages.\(index) is invalid: each message must be an object with a string 'role', such as {\"role\": \"user\", \"content\": \"hi\"}"
                )
            }
        }
        try Self.check(json["stream"], "stream", "true or false") { if case .bool = $0 { true } else { false } }
        try Self.check(json["stream_options"], "stream_options", "an object such as {\"include_usage\": true}") {
            if case .object(let options) = $0 {
                options["include_usage"].map { $0 == .null || $0 == .bool(true) || $0 == .bool(false) } ?? true
            } else {
                false
            }
        }
        let maxTokens: Int?
        switch json["max_tokens"] {
        case nil, .null?: maxTokens = nil
        case .integer(let value)?: maxTokens = Int(clamping: value)
        case let other?: throw ChatRequestRules.misfit("max_tokens", other)
        }
        let generation = try ChatRequestRules.generation(
            maxTokens: maxTokens,
            extras: json["max_completion_tokens"].map { ["max_completion_tokens": $0] } ?? [:]
        )
        let choices = try ChatRequestRules.choices(json["n"])
        let temperature = try Self.number(json["temperature"], "temperature")
        let topP = try Self.number(json["top_p"], "top_p")
        chatRequest = ChatRequest(
            model: model,
            messages: (try? body.relayProtocolMessages()) ?? [],
            maxTokens: generation.maxTokens,
            temperature: temperature,
            topP: topP,
            extras: json.filter { !Self.modelled.contains($0.key) },
            body: body,
            choices: choices
        )
        self.body = body
    }

    private static func check(_ value: JSONValue?, _ field: String, _ expected: String, _ valid: (JSONValue) -> Bool) throws {
        guard let value, value != .null, !valid(value) else { return }
        throw GatewayRefusal.invalidRequest("field '\(field)' is invalid: it must be \(expected)")
    }

    /// A sampling parameter, read only for the relay WebSocket protocol (an OpenAI-compatible
    /// upstream gets the client's own text of it).
    private static func number(_ value: JSONValue?, _ field: String) throws -> Double? {
        switch value {
        case nil, .null?: return nil
        case .integer(let number)?: return Double(number)
        case .number(let number)?: return number
        default: throw GatewayRefusal.invalidRequest("field '\(field)' is invalid: it must be a number")
        }
    }
}
