/// Tokens one request consumed, as a ledger entry records them.
///
/// `inputTokens` is every prompt token. The cached and cache-write counts are parts of it, priced
/// apart: `cachedInputTokens` were read from the provider's prompt cache (OpenAI's
/// `prompt_tokens_details.cached_tokens`, Anthropic's `cache_read_input_tokens`), and the two
/// cache-write counts were written to it (Anthropic's `usage.cache_creation.ephemeral_5m_input_tokens`
/// and `ephemeral_1h_input_tokens`). Together they can never exceed `inputTokens`. Anthropic reports
/// its `input_tokens` *without* the cached and written parts, so its usage maps to
/// `inputTokens = input_tokens + cache_read_input_tokens + cache_creation_input_tokens`.
public struct TokenUsage: Hashable, Sendable {
    /// All prompt tokens, cached and cache-written ones included.
    public var inputTokens: Int
    /// Prompt tokens billed at the cached-input (cache read) price.
    public var cachedInputTokens: Int
    /// Prompt tokens written to a 5-minute prompt cache, billed at the 5-minute cache-write price.
    public var cacheWrite5mTokens: Int
    /// Prompt tokens written to a 1-hour prompt cache, billed at the 1-hour cache-write price.
    public var cacheWrite1hTokens: Int
    /// Generated tokens.
    public var outputTokens: Int
    /// The reasoning part of ``outputTokens`` (OpenAI's `completion_tokens_details.reasoning_tokens`,
    /// DeepSeek's `reasoning_content`): billed as output like the rest, kept apart for visibility.
    public var reasoningTokens: Int

    /// The largest token count one record may carry: 10¹², a million times the largest context
    /// window. Anything above it is a broken relay or a typo, and refused where it enters.
    public static let maximumCount = 1_000_000_000_000

    /// Prompt tokens billed at the plain input price: what the cache neither served nor stored.
    public var uncachedInputTokens: Int { inputTokens - cachedInputTokens - cacheWrite5mTokens - cacheWrite1hTokens }

    /// Creates usage, checking that counts are within 0...`maximumCount` and the cached and
    /// cache-write tokens are parts of the input.
    public init(
        inputTokens: Int,
        cachedInputTokens: Int = 0,
        cacheWrite5mTokens: Int = 0,
        cacheWrite1hTokens: Int = 0,
        outputTokens: Int,
        reasoningTokens: Int = 0
    ) throws(MoneyError) {
        guard inputTokens >= 0, cachedInputTokens >= 0, cacheWrite5mTokens >= 0, cacheWrite1hTokens >= 0, outputTokens >= 0 else {
            throw MoneyError("token counts must not be negative")
        }
        guard inputTokens <= Self.maximumCount, outputTokens <= Self.maximumCount else {
            throw MoneyError("token counts are at most 1000000000000 (10^12) per record; got \(inputTokens) input, \(outputTokens) output")
        }
        guard cachedInputTokens <= inputTokens else {
            throw MoneyError(
                "cached_input_tokens (\(cachedInputTokens)) is larger than input_tokens (\(inputTokens)): cached tokens are part of the input"
            )
        }
        // Each part is at most inputTokens ≤ 10¹² here, so the sum cannot overflow.
        guard cacheWrite5mTokens <= inputTokens, cacheWrite1hTokens <= inputTokens,
            cachedInputTokens + cacheWrite5mTokens + cacheWrite1hTokens <= inputTokens
        else {
            throw MoneyError(
                "cached (\(cachedInputTokens)) + cache-write 5m (\(cacheWrite5mTokens)) + cache-write 1h (\(cacheWrite1hTokens)) tokens exceed input_tokens (\(inputTokens)): they are parts of the input"
            )
        }
        guard reasoningTokens >= 0, reasoningTokens <= outputTokens else {
            throw MoneyError(
                "reasoning_tokens (\(reasoningTokens)) must be between 0 and output_tokens (\(outputTokens)): reasoning is part of the output"
            )
        }
        self.inputTokens = inputTokens
        self.cachedInputTokens = cachedInputTokens
        self.cacheWrite5mTokens = cacheWrite5mTokens
        self.cacheWrite1hTokens = cacheWrite1hTokens
        self.outputTokens = outputTokens
        self.reasoningTokens = reasoningTokens
    }

    /// The same usage with `tokens` as its reasoning part, kept within 0…``outputTokens`` (a count
    /// from another source, such as Tollgate's own of the reasoning text, can't exceed the output billed).
    public func withReasoning(_ tokens: Int) -> TokenUsage {
        var usage = self
        usage.reasoningTokens = min(max(tokens, 0), outputTokens)
        return usage
    }

    /// No tokens at all.
    public static let zero = try! TokenUsage(inputTokens: 0, outputTokens: 0)
}
