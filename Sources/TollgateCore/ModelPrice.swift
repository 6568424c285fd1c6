/// One model's list prices, in nano-USD per million tokens.
public struct ModelPrice: Hashable, Sendable {
    /// Uncached prompt tokens.
    public let inputPerMillion: Int64
    /// Prompt tokens served from cache; models without a cache price bill them as `input`.
    public let cachedInputPerMillion: Int64?
    /// Generated tokens.
    public let outputPerMillion: Int64
    /// Prompt tokens written to a 5-minute prompt cache; models without one bill them as `input`.
    public let cacheWrite5mPerMillion: Int64?
    /// Prompt tokens written to a 1-hour prompt cache; models without one bill them as `input`.
    public let cacheWrite1hPerMillion: Int64?

    /// Creates a price from nano-USD per million tokens.
    public init(
        inputPerMillion: Int64,
        cachedInputPerMillion: Int64?,
        outputPerMillion: Int64,
        cacheWrite5mPerMillion: Int64? = nil,
        cacheWrite1hPerMillion: Int64? = nil
    ) {
        self.inputPerMillion = inputPerMillion
        self.cachedInputPerMillion = cachedInputPerMillion
        self.outputPerMillion = outputPerMillion
        self.cacheWrite5mPerMillion = cacheWrite5mPerMillion
        self.cacheWrite1hPerMillion = cacheWrite1hPerMillion
    }

    /// The highest price any prompt token can be billed at: what a prompt costs at worst when the
    /// upstream may write all of it to a cache (admission's hold for a prompt that asks for caching).
    public var worstInputPerMillion: Int64 {
        max(inputPerMillion, cacheWrite5mPerMillion ?? inputPerMillion, cacheWrite1hPerMillion ?? inputPerMillion)
    }

    /// The exact USD cost of `usage`, rounded up to a whole nano-USD once, at the end; a cost
    /// beyond `Money.maximumNanos` (absurd token counts or prices) is an error, not a trap.
    public func cost(of usage: TokenUsage) throws(MoneyError) -> Money {
        let uncached = Int128(usage.uncachedInputTokens) * Int128(inputPerMillion)
        let cached = Int128(usage.cachedInputTokens) * Int128(cachedInputPerMillion ?? inputPerMillion)
        let write5m = Int128(usage.cacheWrite5mTokens) * Int128(cacheWrite5mPerMillion ?? inputPerMillion)
        let write1h = Int128(usage.cacheWrite1hTokens) * Int128(cacheWrite1hPerMillion ?? inputPerMillion)
        let output = Int128(usage.outputTokens) * Int128(outputPerMillion)
        let nanos = ExactDivision.ceiling(uncached + cached + write5m + write1h + output, 1_000_000)
        return try Money(checked: nanos, .usd)
    }

    /// How many output tokens `amount` (USD) buys after paying for `prompt`: used to clamp
    /// `max_tokens` to what a budget affords. Never more than the amount covers.
    public func affordableOutputTokens(with amount: Money, afterPrompt prompt: TokenUsage) -> Int {
        precondition(amount.currency == .usd, "affordable tokens are computed in USD")
        guard let promptCost = try? cost(of: prompt).nanos else { return 0 }
        let left = Int128(amount.nanos) - Int128(promptCost)
        guard outputPerMillion > 0 else { return left >= 0 ? Int.max : 0 }
        guard left > 0 else { return 0 }
        let tokens = left * 1_000_000 / Int128(outputPerMillion)
        return Int(clamping: tokens)
    }
}
