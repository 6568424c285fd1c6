import TollgateCore
import TollgateTokenizers

/// What a Chat Completions request body costs as input, in the model's tokens, part by part.
///
/// Admission reserves ``total``; the upstream's `prompt_tokens` replaces it at settlement when
/// reported, and `report reconcile` shows the drift between the two per model.
public struct PromptCount: Sendable, Hashable {
    /// Tokens by where they came from; ``total`` is their sum.
    public struct Breakdown: Sendable, Hashable {
        /// The chat format around the content: per-message overhead, roles, per-name overhead, the
        /// reply priming, and per-call overhead of tool calls in history.
        public var framing = 0
        /// Message text: string content, `text` and `refusal` parts, an assistant's `refusal` and
        /// reasoning sent back in history.
        public var text = 0
        /// Message `name`s.
        public var names = 0
        /// Assistant `tool_calls` and legacy `function_call` in history: names and arguments.
        public var toolCalls = 0
        /// `tools` and legacy `functions` definitions.
        public var toolDefinitions = 0
        /// A `response_format` JSON schema.
        public var responseFormat = 0
        /// `image_url` parts.
        public var images = 0
        /// `input_audio` parts.
        public var audio = 0
        /// `file` parts.
        public var files = 0
        /// Values of a shape the counter does not know, counted as their JSON text (see ``PromptCount/problems``).
        public var unrecognized = 0

        /// Creates an all-zero breakdown.
        public init() {}

        /// The sum of every field.
        public var total: Int { framing + text + names + toolCalls + toolDefinitions + responseFormat + images + audio + files + unrecognized }
    }

    /// One place in the body the counter could not read as Chat Completions defines it, e.g.
    /// `messages[2].content` holding a number. Counted anyway (as its JSON text, erring high); the
    /// gateway may refuse the request with it.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// Where in the body, e.g. `messages[2].content`.
        public var path: String
        /// What was found and what was expected.
        public var message: String

        /// Creates a problem.
        public init(path: String, message: String) {
            self.path = path
            self.message = message
        }

        /// `path: message`.
        public var description: String { "\(path): \(message)" }
    }

    /// Tokens by source.
    public var breakdown = Breakdown()
    /// Whether any part was estimated rather than counted by a published formula: images of unknown
    /// size, audio, files, JSON schemas, tool calls and reasoning in history, definitions beyond the
    /// cookbook's flat OpenAI case, values of unknown shape. The tokenizer's own estimate (models
    /// without a public tokenizer) is the counter's `source`; ``tokenSource(countedWith:)`` joins both.
    public var estimated = false
    /// Places the counter could not read as Chat Completions defines them, in body order.
    public var problems: [Problem] = []

    /// Creates an empty count.
    public init() {}

    /// Tokens the admission reserves for the prompt.
    public var total: Int { breakdown.total }

    /// The local source to record and to settle with: `.tokenizer` only when the tokenizer is exact
    /// and every part was counted by a published formula. Settlement holds an upstream's prompt
    /// count to the local one only when it is `.tokenizer` (`UpstreamUsageRule`): an estimate that
    /// errs high (a remote image at its worst case) must never replace a lower upstream count.
    public func tokenSource(countedWith counter: ModelTokenCounter) -> TokenSource {
        counter.source == .exact && !estimated ? .tokenizer : .estimate
    }
}
