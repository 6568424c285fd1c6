/// Frames of the relay's WebSocket protocol (`/v1/ws/stream`), shared by the client and the
/// simulator so both sides agree on field names.

/// Generation settings carried in `config` by both WebSocket request shapes.
package struct RelayGenerationConfig: Codable, Sendable, Hashable {
    package var temperature: Double?
    package var maxTokens: Int?
    package var topP: Double?
    package var stream: Bool?
    /// Provider extras, flattened into `config` next to the known fields.
    package var extras: [String: JSONValue]

    package init(
        temperature: Double? = nil,
        maxTokens: Int? = nil,
        topP: Double? = nil,
        stream: Bool? = nil,
        extras: [String: JSONValue] = [:]
    ) {
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.topP = topP
        self.stream = stream
        self.extras = extras
    }

    private static let knownKeys: Set<String> = ["temperature", "max_tokens", "top_p", "stream"]

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        temperature = try container.decodeIfPresent(Double.self, forKey: AnyCodingKey("temperature"))
        maxTokens = try container.decodeIfPresent(Int.self, forKey: AnyCodingKey("max_tokens"))
        topP = try container.decodeIfPresent(Double.self, forKey: AnyCodingKey("top_p"))
        stream = try container.decodeIfPresent(Bool.self, forKey: AnyCodingKey("stream"))
        extras = try container.decodeExtras(excluding: Self.knownKeys)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try container.encodeExtras(extras, excluding: Self.knownKeys)
        try container.encodeIfPresent(temperature, forKey: AnyCodingKey("temperature"))
        try container.encodeIfPresent(maxTokens, forKey: AnyCodingKey("max_tokens"))
        try container.encodeIfPresent(topP, forKey: AnyCodingKey("top_p"))
        try container.encodeIfPresent(stream, forKey: AnyCodingKey("stream"))
    }
}

/// A frame sent by the client: `session.start`, `chat.message` or `chat.completion`.
///
/// One struct with optional fields rather than one per type, because the relay discriminates on
/// `type` and the simulator must decode whichever arrives.
package struct RelayClientFrame: Codable, Sendable, Hashable {
    /// `auth` of `session.start`.
    package struct Auth: Codable, Sendable, Hashable {
        package var apiKey: String?
        enum CodingKeys: String, CodingKey { case apiKey = "api_key" }
        package init(apiKey: String?) { self.apiKey = apiKey }
    }

    package var type: String
    package var model: String?
    package var auth: Auth?
    package var config: RelayGenerationConfig?
    package var content: String?
    package var role: ChatRole?
    package var messages: [ChatMessage]?
    package var stream: Bool?

    package init(
        type: String,
        model: String? = nil,
        auth: Auth? = nil,
        config: RelayGenerationConfig? = nil,
        content: String? = nil,
        role: ChatRole? = nil,
        messages: [ChatMessage]? = nil,
        stream: Bool? = nil
    ) {
        self.type = type
        self.model = model
        self.auth = auth
        self.config = config
        self.content = content
        self.role = role
        self.messages = messages
        self.stream = stream
    }

    package static let sessionStartType = "session.start"
    package static let chatMessageType = "chat.message"
    package static let chatCompletionType = "chat.completion"
}

/// A frame sent by the relay. `type` is one of the constants below; unknown types are tolerated.
package struct RelayServerFrame: Codable, Sendable, Hashable {
    /// `delta` of `content_delta`.
    package struct Delta: Codable, Sendable, Hashable {
        package var content: String?
        package init(content: String?) { self.content = content }
    }

    /// Optional `usage` of `message_done`.
    package struct Usage: Codable, Sendable, Hashable {
        package var inputTokens: Int
        package var outputTokens: Int
        /// Whether both counts were whole numbers (see `UpstreamUsage.isWholeNumbers`).
        package var isWholeNumbers = true
        enum CodingKeys: String, CodingKey {
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
        }
        package init(inputTokens: Int, outputTokens: Int) {
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
        }
        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let input = try container.reportedCount(forKey: .inputTokens)
            let output = try container.reportedCount(forKey: .outputTokens)
            inputTokens = input ?? 0
            outputTokens = output ?? 0
            isWholeNumbers = input != nil && output != nil
        }
    }

    package var type: String
    package var sessionID: String?
    package var model: String?
    package var index: Int?
    package var delta: Delta?
    package var usage: Usage?
    package var finishReason: String?
    package var message: String?
    package var code: String?
    package var status: Int?

    enum CodingKeys: String, CodingKey {
        case type, model, index, delta, usage, message, code, status
        case sessionID = "session_id"
        case finishReason = "finish_reason"
    }

    package init(
        type: String,
        sessionID: String? = nil,
        model: String? = nil,
        index: Int? = nil,
        delta: Delta? = nil,
        usage: Usage? = nil,
        finishReason: String? = nil,
        message: String? = nil,
        code: String? = nil,
        status: Int? = nil
    ) {
        self.type = type
        self.sessionID = sessionID
        self.model = model
        self.index = index
        self.delta = delta
        self.usage = usage
        self.finishReason = finishReason
        self.message = message
        self.code = code
        self.status = status
    }

    package static let sessionEstablishedType = "session_established"
    package static let contentBlockStartType = "content_block_start"
    package static let contentDeltaType = "content_delta"
    package static let messageDoneType = "message_done"
    package static let errorType = "error"
}

/// A coding key for dynamic JSON object keys (provider extras).
package struct AnyCodingKey: CodingKey, Hashable {
    package var stringValue: String
    package var intValue: Int? { nil }
    package init(_ string: String) { stringValue = string }
    package init?(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { nil }
}
