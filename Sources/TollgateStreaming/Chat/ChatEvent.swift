/// One event of a streamed chat response, the same for every transport.
///
/// A successful stream is `sessionEstablished`, `contentStart`, any number of `textDelta`,
/// an optional `usage`, then `done`. Failures end the stream by throwing ``StreamingError``.
///
/// A request carrying the client's own body (``ChatRequest/body``) to an OpenAI-compatible upstream
/// is relayed instead of translated: its stream is `sessionEstablished`, one
/// `relayed` per upstream `data:` payload (or one for a non-streamed body), then `done`.
public enum ChatEvent: Sendable, Hashable {
    /// The upstream accepted the request (WebSocket `session_established`, or an SSE `200` head).
    case sessionEstablished(id: String?)
    /// The model started producing content (`content_block_start`, or the first SSE chunk).
    case contentStart
    /// A piece of generated text.
    case textDelta(String)
    /// Token counts, when the upstream reports them.
    case usage(UpstreamUsage)
    /// The upstream finished the message normally.
    case done(StreamCompletion)
    /// One upstream payload to hand to the client byte for byte, with what metering reads from it.
    case relayed(RelayedChunk)
}

/// Token counts reported by the upstream for one response.
public struct UpstreamUsage: Sendable, Hashable, Codable {
    /// Prompt tokens (`input_tokens` / `prompt_tokens`).
    public var inputTokens: Int
    /// Generated tokens (`output_tokens` / `completion_tokens`).
    public var outputTokens: Int
    /// Prompt tokens served from the provider's cache (`prompt_tokens_details.cached_tokens`,
    /// Anthropic's `cache_read_input_tokens`), if reported; part of ``inputTokens``.
    public var cachedInputTokens: Int?
    /// Prompt tokens written to a 5-minute cache (Anthropic), if reported; part of ``inputTokens``.
    public var cacheWrite5mTokens: Int? = nil
    /// Prompt tokens written to a 1-hour cache (Anthropic), if reported; part of ``inputTokens``.
    public var cacheWrite1hTokens: Int? = nil
    /// The reasoning part of ``outputTokens`` (`completion_tokens_details.reasoning_tokens`), if
    /// reported; recorded for visibility, never billed apart.
    public var reasoningTokens: Int? = nil
    /// `false` when a count was not a whole number in range (`1.5`, `1e30`, `"100"`): the counts
    /// then read 0 for it, and metering bills its own count instead of this report.
    public var isWholeNumbers: Bool

    enum CodingKeys: String, CodingKey { case inputTokens, outputTokens, cachedInputTokens }

    /// Creates a usage record.
    public init(inputTokens: Int, outputTokens: Int, cachedInputTokens: Int? = nil, isWholeNumbers: Bool = true) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.isWholeNumbers = isWholeNumbers
    }

    /// Decodes the three counts; a decoded record is whole numbers by construction.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            inputTokens: try container.decode(Int.self, forKey: .inputTokens),
            outputTokens: try container.decode(Int.self, forKey: .outputTokens),
            cachedInputTokens: try container.decodeIfPresent(Int.self, forKey: .cachedInputTokens)
        )
    }
}

/// How a stream that reached `done` ended.
public struct StreamCompletion: Sendable, Hashable {
    /// The upstream's finish reason (`stop`, `length`, ...), when it sent one.
    public var finishReason: String?
    /// `true` when the stream relayed the upstream's own payloads (``ChatEvent/relayed(_:)``),
    /// which already carried the finish: a consumer writes nothing more for it.
    public var isRelayed = false
    /// Frames of an event type this client does not know; they are skipped, and counted here so
    /// protocol drift shows up in metrics instead of failing streams.
    public var ignoredEventCount: Int

    /// Creates a completion record.
    public init(finishReason: String? = nil, ignoredEventCount: Int = 0) {
        self.finishReason = finishReason
        self.ignoredEventCount = ignoredEventCount
    }
}
