import TollgateStreaming
import TollgateTokenizers

/// Counts a chat prompt the way providers bill it, for admission to reserve against.
///
/// ``count(body:with:settings:)`` counts a whole Chat Completions request body as the client sent
/// it: every message of every role with its overhead (OpenAI's documented chat format: a fixed
/// count per message and for the reply), string content and content parts (text, refusal, images
/// by the tile formula, audio and files by documented estimates), names, tool calls in history,
/// tool and function definitions (the OpenAI cookbook's formula), and a `response_format` schema.
/// README "How prompts are counted" states every formula.
///
/// Upstream-reported usage replaces this count when the upstream sends one; this count is what
/// admission reserves against, so wherever a formula is unknown it errs high, never low: a body of
/// plain text messages counts exactly what the text-only count always has, and anything more only adds.
public enum PromptCounting {
    /// Tokens a message `name` costs beyond its text (the cookbook's `tokens_per_name`).
    public static let tokensPerName = 1

    /// The input tokens of a Chat Completions request body, with a breakdown. Never fails: a value
    /// of a shape Chat Completions does not define is counted as its JSON text and reported in
    /// ``PromptCount/problems``.
    public static func count(body: JSONValue, with counter: ModelTokenCounter, settings: MeteringSettings = MeteringSettings()) -> PromptCount {
        var walker = PromptWalker(counter: counter, settings: settings)
        walker.walk(body)
        return walker.result
    }

    /// The input tokens of text-only messages (the relay WebSocket protocol's requests): the same
    /// count as a body holding just these messages.
    public static func count(_ messages: [ChatMessage], with counter: ModelTokenCounter, settings: MeteringSettings) -> Int {
        let body = JSONValue.object([
            "messages": .array(messages.map { .object(["role": .string($0.role.rawValue), "content": .string($0.content)]) })
        ])
        return count(body: body, with: counter, settings: settings).total
    }
}
