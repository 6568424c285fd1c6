/// What admission needs to know about one request to decide whether the budget can hold it.
public struct AdmissionRequest: Hashable, Sendable {
    /// The model's relay price in force now.
    public var price: ModelPrice
    /// The relay FX rate in force now (budgets in CNY are charged relay USD at this rate).
    public var relayRate: FXRate
    /// Prompt tokens, counted exactly before the stream opens.
    public var prompt: TokenUsage
    /// `max_tokens` as requested, or the model's maximum output when the request sets none.
    public var maxOutputTokens: Int
    /// Clamping never lowers `max_tokens` below this; below it the request is refused instead.
    public var minimumClampTokens: Int
    /// Under an `expected` hold policy, the output the team can expect (see `ExpectedOutput`); `nil`
    /// holds the worst case.
    public var expectedOutputTokens: Int?

    /// The output tokens the hold covers up front: the expected output, never above `maxOutputTokens`;
    /// the stream's hold grows by extensions past it.
    public var heldOutputTokens: Int { min(expectedOutputTokens ?? maxOutputTokens, maxOutputTokens) }

    /// The money held up front: prompt + `heldOutputTokens` of output.
    public func hold(in currency: Currency) -> Money { worstCase(in: currency, outputTokens: heldOutputTokens) }

    /// Creates a request description.
    public init(
        price: ModelPrice,
        relayRate: FXRate,
        prompt: TokenUsage,
        maxOutputTokens: Int,
        minimumClampTokens: Int = 16,
        expectedOutputTokens: Int? = nil
    ) {
        self.price = price
        self.relayRate = relayRate
        self.prompt = prompt
        self.maxOutputTokens = maxOutputTokens
        self.minimumClampTokens = minimumClampTokens
        self.expectedOutputTokens = expectedOutputTokens
    }

    /// The worst case in `currency`: prompt × input price + max_tokens × output price.
    ///
    /// A worst case beyond `Money.maximumNanos` (an absurd `max_tokens`) saturates at `Int64.max`
    /// nanos: no budget holds it, so it can only be refused, and admission never traps on it.
    public func worstCase(in currency: Currency, outputTokens: Int? = nil) -> Money {
        var usage = prompt
        usage.outputTokens = outputTokens ?? maxOutputTokens
        guard let worst = try? cost(of: usage, in: currency) else { return Money(nanos: .max, currency) }
        return worst
    }

    /// The cost in `currency` of `usage` — the same valuation the ledger will charge.
    public func cost(of usage: TokenUsage, in currency: Currency) throws(MoneyError) -> Money {
        try relayRate.convert(try price.cost(of: usage), to: currency)
    }
}
