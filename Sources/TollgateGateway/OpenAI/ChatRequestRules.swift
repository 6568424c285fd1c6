import Foundation
import TollgateStreaming

/// The field rules every chat request meets before admission, whichever protocol carried it: the
/// OpenAI body of `POST /v1/chat/completions` and the relay WebSocket's `session.start`,
/// `chat.completion` and `config`. A request that breaks one is refused with `invalid_request`
/// (HTTP 400, or an `error` event) saying what is wrong and what to send, before a hold is taken,
/// so nothing is billed.
///
/// - `messages` holds at least one message (on HTTP: objects with a string `role`; every role,
///   content shape and other field is the upstream's to judge).
/// - `n` is a whole number from 1 to 128; the hold covers every choice.
/// - `max_tokens` and `max_completion_tokens` are whole JSON numbers of at least 1: a fraction
///   (`1.5`), a number beyond 64 bits (`1e30`) or a string (`"100"`) is refused, never ignored.
///   `max_completion_tokens` bounds the hold like `max_tokens` (newer OpenAI clients send it);
///   when both are sent, `max_tokens` is used; `null` means not set.
enum ChatRequestRules {
    /// Checks every field and builds the request.
    static func request(
        model: String,
        messages: [ChatMessage],
        maxTokens: Int?,
        temperature: Double?,
        topP: Double?,
        extras: [String: JSONValue]
    ) throws(GatewayRefusal) -> ChatRequest {
        try check(messages: messages)
        let generation = try generation(maxTokens: maxTokens, extras: extras)
        return ChatRequest(
            model: model,
            messages: messages,
            maxTokens: generation.maxTokens,
            temperature: temperature,
            topP: topP,
            extras: generation.extras
        )
    }

    /// `messages` is not empty.
    static func check(messages: [ChatMessage]) throws(GatewayRefusal) {
        try check(messageCount: messages.count)
    }

    /// `messages` is not empty.
    static func check(messageCount: Int) throws(GatewayRefusal) {
        guard messageCount > 0 else {
            throw .invalidRequest("'messages' is empty: send at least one {\"role\": \"user\", \"content\": ...} message")
        }
    }

    /// The output bound to hold for, from `max_tokens` or `max_completion_tokens`, and the extras
    /// left to pass upstream.
    static func generation(maxTokens: Int?, extras: [String: JSONValue]) throws(GatewayRefusal) -> (maxTokens: Int?, extras: [String: JSONValue]) {
        var extras = extras
        var bound = maxTokens.map(Int64.init)
        // `null` is "not set", as for `max_tokens`: some clients send every field.
        if let newer = extras.removeValue(forKey: "max_completion_tokens"), newer != .null {
            guard case .integer(let value) = newer else {
                throw .invalidRequest(
                    "max_completion_tokens must be a whole number of tokens such as 256 (got \(Self.text(newer))): send a JSON integer, not a string, a fraction or an exponent"
                )
            }
            try checkAtLeastOne(value, "max_completion_tokens")
            if bound == nil { bound = value }
        }
        if let maxTokens { try checkAtLeastOne(Int64(maxTokens), "max_tokens") }
        return (bound.map { Int($0) }, extras)
    }

    /// Largest `n` accepted, OpenAI's own bound.
    static let maximumChoices = 128

    /// `n`: how many choices the upstream generates, each of which the hold must cover.
    static func choices(_ value: JSONValue?) throws(GatewayRefusal) -> Int {
        switch value {
        case nil, .null?: return 1
        case .integer(let count)? where count >= 1 && count <= Int64(maximumChoices): return Int(count)
        case let other?:
            throw .invalidRequest("n must be a whole number of choices from 1 to \(maximumChoices) (got \(text(other))): omit it for one answer")
        }
    }

    /// A required field that is absent.
    static func missing(_ field: String) -> GatewayRefusal {
        .invalidRequest("missing field '\(field)': send {\"model\": ..., \"messages\": [{\"role\": \"user\", \"content\": ...}]}")
    }

    /// A token-limit field whose value is not a whole number.
    static func misfit(_ field: String, _ value: JSONValue) -> GatewayRefusal {
        .invalidRequest("field '\(field)' is invalid: it must be \(expectation(field)) (got \(text(value)))")
    }

    /// The refusal for a body or frame that did not decode: the field and what it must hold; `nil`
    /// when `data` is not JSON at all.
    static func refusal(_ error: DecodingError, in data: Data) -> GatewayRefusal? {
        if let named = refusal(error) { return named }
        return misfitNumber(in: data)
    }

    /// Foundation's decoder reports a number that does not fit an integer field (`1.5`, `1e30`) as
    /// "not valid JSON" without naming the field; so a body that is JSON is searched for the
    /// integer fields a request carries, at the top or in `config`.
    private static func misfitNumber(in data: Data) -> GatewayRefusal? {
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: data) else { return nil }
        var places: [(String, [String: JSONValue])] = [("", object)]
        if case .object(let config)? = object["config"] { places.append(("config.", config)) }
        for (prefix, fields) in places {
            if let value = fields["max_tokens"], value.integerValue == nil, value != .null {
                let field = prefix + "max_tokens"
                return .invalidRequest("field '\(field)' is invalid: it must be \(expectation(field)) (got \(text(value)))")
            }
        }
        return .invalidRequest("a field holds a value of the wrong type: send whole numbers for token counts, numbers for temperature and top_p")
    }

    /// The refusal naming the field a decoding error carries, if it carries one.
    private static func refusal(_ error: DecodingError) -> GatewayRefusal? {
        switch error {
        case .keyNotFound(let key, _):
            return .invalidRequest(
                "missing field '\(key.stringValue)': send {\"model\": ..., \"messages\": [{\"role\": \"user\", \"content\": ...}]}"
            )
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            guard !context.codingPath.isEmpty else { return nil }
            let field = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return .invalidRequest("field '\(field)' is invalid: it must be \(expectation(field)); \(context.debugDescription)")
        @unknown default:
            return nil
        }
    }

    /// What a field must hold, in the words of the API.
    private static func expectation(_ field: String) -> String {
        switch field.split(separator: ".").last.map(String.init) ?? field {
        case "max_tokens", "max_completion_tokens": "a whole number of tokens of at least 1, such as 256"
        case "role": "a role (roles are system, user or assistant)"
        case "content", "model", "type", "api_key": "a string"
        case "temperature", "top_p": "a number"
        case "stream", "include_usage": "true or false"
        case "messages": "a list of {\"role\": ..., \"content\": ...} objects"
        default: "of the documented type"
        }
    }

    private static func checkAtLeastOne(_ value: Int64, _ field: String) throws(GatewayRefusal) {
        guard value >= 1 else {
            throw .invalidRequest("\(field) must be at least 1 (got \(value)); omit it to allow the model's maximum")
        }
    }

    private static func text(_ value: JSONValue) -> String {
        (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "a non-integer"
    }
}
