/// JSON bodies of the OpenAI-compatible `/v1/chat/completions` protocol, shared by the SSE client
/// and the simulator.

/// The request body. Extras are flattened beside the known fields.
package struct ChatCompletionsRequestBody: Codable, Sendable {
    package struct StreamOptions: Codable, Sendable, Hashable {
        package var includeUsage: Bool
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
        package init(includeUsage: Bool) { self.includeUsage = includeUsage }
    }

    package var model: String
    package var messages: [ChatMessage]
    package var stream: Bool?
    package var streamOptions: StreamOptions?
    package var maxTokens: Int?
    package var temperature: Double?
    package var topP: Double?
    package var extras: [String: JSONValue]

    private static let knownKeys: Set<String> = [
        "model", "messages", "stream", "stream_options", "max_tokens", "temperature", "top_p",
    ]

    package init(_ request: ChatRequest, stream: Bool) {
        model = request.model
        messages = request.messages
        self.stream = stream
        streamOptions = stream ? StreamOptions(includeUsage: true) : nil
        maxTokens = request.maxTokens
        temperature = request.temperature
        topP = request.topP
        extras = request.extras
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        model = try container.decode(String.self, forKey: AnyCodingKey("model"))
        messages = try container.decode([ChatMessage].self, forKey: AnyCodingKey("messages"))
        stream = try container.decodeIfPresent(Bool.self, forKey: AnyCodingKey("stream"))
        streamOptions = try container.decodeIfPresent(StreamOptions.self, forKey: AnyCodingKey("stream_options"))
        maxTokens = try container.decodeIfPresent(Int.self, forKey: AnyCodingKey("max_tokens"))
        temperature = try container.decodeIfPresent(Double.self, forKey: AnyCodingKey("temperature"))
        topP = try container.decodeIfPresent(Double.self, forKey: AnyCodingKey("top_p"))
        extras = try container.decodeExtras(excluding: Self.knownKeys)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try container.encodeExtras(extras, excluding: Self.knownKeys)
        try container.encode(model, forKey: AnyCodingKey("model"))
        try container.encode(messages, forKey: AnyCodingKey("messages"))
        try container.encodeIfPresent(stream, forKey: AnyCodingKey("stream"))
        try container.encodeIfPresent(streamOptions, forKey: AnyCodingKey("stream_options"))
        try container.encodeIfPresent(maxTokens, forKey: AnyCodingKey("max_tokens"))
        try container.encodeIfPresent(temperature, forKey: AnyCodingKey("temperature"))
        try container.encodeIfPresent(topP, forKey: AnyCodingKey("top_p"))
    }
}

/// `usage` as OpenAI reports it.
package struct ChatCompletionsUsage: Codable, Sendable, Hashable {
    package struct PromptDetails: Codable, Sendable, Hashable {
        package var cachedTokens: Int?
        /// A `cached_tokens` that was not a whole number.
        package var malformed = false
        enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
        package init(cachedTokens: Int?) { self.cachedTokens = cachedTokens }
        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            cachedTokens = container.reportedCountIfPresent(forKey: .cachedTokens, malformed: &malformed)
        }
    }

    /// `completion_tokens_details`: the reasoning part of the completion (o-series, DeepSeek).
    package struct CompletionDetails: Codable, Sendable, Hashable {
        /// Absent, `null` or not a whole number: `nil` (the split is for visibility, never billing,
        /// so a malformed one only falls back to Tollgate's own count of the reasoning text).
        package var reasoningTokens: Int?
        enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
        package init(reasoningTokens: Int?) { self.reasoningTokens = reasoningTokens }
        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            var malformed = false
            reasoningTokens = container.reportedCountIfPresent(forKey: .reasoningTokens, malformed: &malformed)
        }
    }

    package var promptTokens: Int
    package var completionTokens: Int
    package var totalTokens: Int?
    package var promptTokensDetails: PromptDetails?
    package var completionTokensDetails: CompletionDetails?
    /// Whether every count was a whole number (see `UpstreamUsage.isWholeNumbers`).
    package var isWholeNumbers = true

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let prompt = try container.reportedCount(forKey: .promptTokens)
        let completion = try container.reportedCount(forKey: .completionTokens)
        promptTokens = prompt ?? 0
        completionTokens = completion ?? 0
        var malformedTotal = false
        totalTokens = container.reportedCountIfPresent(forKey: .totalTokens, malformed: &malformedTotal)
        promptTokensDetails = try? container.decodeIfPresent(PromptDetails.self, forKey: .promptTokensDetails)
        completionTokensDetails = try? container.decodeIfPresent(CompletionDetails.self, forKey: .completionTokensDetails)
        isWholeNumbers = prompt != nil && completion != nil && promptTokensDetails?.malformed != true
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case promptTokensDetails = "prompt_tokens_details"
        case completionTokensDetails = "completion_tokens_details"
    }

    package init(promptTokens: Int, completionTokens: Int, cachedTokens: Int?) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        let (total, overflow) = promptTokens.addingReportingOverflow(completionTokens)
        self.totalTokens = overflow ? nil : total
        self.promptTokensDetails = cachedTokens.map { PromptDetails(cachedTokens: $0) }
    }

    package var tokenUsage: UpstreamUsage {
        var usage = UpstreamUsage(
            inputTokens: promptTokens,
            outputTokens: completionTokens,
            cachedInputTokens: promptTokensDetails?.cachedTokens,
            isWholeNumbers: isWholeNumbers
        )
        usage.reasoningTokens = completionTokensDetails?.reasoningTokens
        return usage
    }
}

/// The `error` object of an error body or of an error event inside a stream.
package struct ChatCompletionsErrorBody: Codable, Sendable, Hashable {
    package struct Detail: Codable, Sendable, Hashable {
        package var message: String
        package var type: String?
        package var code: String?
        package init(message: String, type: String?, code: String?) {
            self.message = message
            self.type = type
            self.code = code
        }
    }

    package var error: Detail
    package init(error: Detail) { self.error = error }
}

/// One `data:` payload of a streamed response.
package struct ChatCompletionsChunk: Codable, Sendable, Hashable {
    package struct Choice: Codable, Sendable, Hashable {
        package struct Delta: Codable, Sendable, Hashable {
            package var role: ChatRole?
            package var content: String?
            package init(role: ChatRole? = nil, content: String? = nil) {
                self.role = role
                self.content = content
            }
        }

        package var index: Int
        package var delta: Delta
        package var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }

        package init(index: Int = 0, delta: Delta, finishReason: String? = nil) {
            self.index = index
            self.delta = delta
            self.finishReason = finishReason
        }
    }

    package var id: String?
    package var object: String?
    package var created: Int?
    package var model: String?
    package var choices: [Choice]?
    package var usage: ChatCompletionsUsage?
    package var error: ChatCompletionsErrorBody.Detail?

    package init(id: String?, model: String?, created: Int?, choices: [Choice], usage: ChatCompletionsUsage? = nil) {
        self.id = id
        self.object = "chat.completion.chunk"
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
        self.error = nil
    }
}

/// A non-streamed response body.
package struct ChatCompletionsResponseBody: Codable, Sendable, Hashable {
    package struct Choice: Codable, Sendable, Hashable {
        package var index: Int
        package var message: ChatMessage
        package var finishReason: String?
        enum CodingKeys: String, CodingKey {
            case index, message
            case finishReason = "finish_reason"
        }
        package init(index: Int = 0, message: ChatMessage, finishReason: String?) {
            self.index = index
            self.message = message
            self.finishReason = finishReason
        }
    }

    package var id: String?
    package var object: String?
    package var created: Int?
    package var model: String
    package var choices: [Choice]
    package var usage: ChatCompletionsUsage?

    package init(id: String?, created: Int?, model: String, choices: [Choice], usage: ChatCompletionsUsage?) {
        self.id = id
        self.object = "chat.completion"
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
    }
}
