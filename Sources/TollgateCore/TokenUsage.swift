/// Tokens one request consumed, as a ledger entry records them.
///
/// `cachedInputTokens` is the part of `inputTokens` served from the provider's prompt cache (the
/// way OpenAI reports `prompt_tokens_details.cached_tokens`), so it can never exceed `inputTokens`.
public struct TokenUsage: Hashable, Sendable {
    /// All prompt tokens, cached ones included.
    public var inputTokens: Int
    /// Prompt tokens billed at the cached-input price.
    public var cachedInputTokens: Int
    /// Generated tokens.
    public var outputTokens: Int

    /// The largest token count one record may carry: 10¹², a million times the largest context
    /// window. Anything above it is a broken relay or a typo, and refused where it enters.
    public static let maximumCount = 1_000_000_000_000

    /// Creates usage, checking that counts are within 0...`maximumCount` and cached tokens are part of the input.
    public init(inputTokens: Int, cachedInputTokens: Int = 0, outputTokens: Int) throws(MoneyError) {
        guard inputTokens >= 0, cachedInputTokens >= 0, outputTokens >= 0 else {
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
        self.inputTokens = inputTokens
        self.cachedInputTokens = cachedInputTokens
        self.outputTokens = outputTokens
    }

    /// No tokens at all.
    public static let zero = try! TokenUsage(inputTokens: 0, outputTokens: 0)
}
