import NIOCore

/// One upstream payload relayed to the client unchanged — a streamed `data:` payload or a whole
/// non-streamed body — with what metering reads from it.
public struct RelayedChunk: Sendable, Hashable {
    /// Where the payload came from.
    public enum Kind: Sendable, Hashable {
        /// One SSE `data:` payload (without the `data: ` prefix and blank line).
        case streamed
        /// A whole non-streamed `chat.completion` body.
        case body
    }

    /// Streamed payload or whole body.
    public var kind: Kind
    /// The SSE `event:` name the payload came under (Anthropic names every event), relayed with it.
    public var event: String? = nil
    /// The upstream's bytes, exactly.
    public var payload: ByteBuffer
    /// Per choice, everything the upstream bills as output that this payload carries: `content`,
    /// `reasoning_content` / `reasoning`, `refusal`, tool-call names and arguments (and the legacy
    /// `function_call`), audio transcripts. Choices that carry none are left out.
    public var output: [ChoiceOutput]
    /// The upstream's usage report, when this payload carries one.
    public var usage: UpstreamUsage?
    /// OpenAI's usage chunk: a usage report and no choices. The gateway shows it to a client only
    /// if the client asked for usage, and adds its receipt to it.
    public var isUsageOnly: Bool
    /// Whether a choice finished in this payload (a `finish_reason`): a usage riding on such a
    /// chunk (DeepSeek's last one) is the stream's final report.
    public var finishes = false

    /// Creates a relayed chunk.
    public init(kind: Kind, payload: ByteBuffer, output: [ChoiceOutput], usage: UpstreamUsage? = nil, isUsageOnly: Bool = false) {
        self.kind = kind
        self.payload = payload
        self.output = output
        self.usage = usage
        self.isUsageOnly = isUsageOnly
    }

    /// UTF-8 bytes of output in this payload, over all choices.
    public var outputBytes: Int { output.reduce(0) { $0 + $1.text.utf8.count } }

    /// Tool calls (and legacy function calls) this payload starts, over all choices.
    public var toolCalls: Int { output.reduce(0) { $0 + $1.toolCalls } }
}

/// The billed output text of one choice in one payload.
public struct ChoiceOutput: Sendable, Hashable {
    /// The choice's `index` (`n` > 1 gives several).
    public var index: Int
    /// Every output field of the choice, concatenated in payload order.
    public var text: String
    /// Tool calls (or a legacy `function_call`) whose name arrives in this payload: each is one
    /// call started. The upstream bills each call's format tokens around its name and arguments,
    /// which the text does not show.
    public var toolCalls: Int
    /// The reasoning part of ``text`` (`reasoning_content` / `reasoning`), counted apart too so the
    /// ledger can show reasoning when the upstream reports no split; empty for most payloads.
    public var reasoning: String

    /// Creates a choice's output.
    public init(index: Int, text: String, toolCalls: Int = 0, reasoning: String = "") {
        self.index = index
        self.text = text
        self.toolCalls = toolCalls
        self.reasoning = reasoning
    }
}
