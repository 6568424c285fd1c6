/// Requests per minute, tokens per minute and concurrent streams a team or a key may use; `nil`
/// is no limit. Distinct from budgets: they protect the relay's shared rate limit, not money.
public struct RateLimits: Hashable, Sendable {
    /// Requests admitted in any 60 s.
    public var requestsPerMinute: Int?
    /// Tokens (prompt + `max_tokens` as admitted, the real count once settled) in any 60 s.
    public var tokensPerMinute: Int?
    /// Streams open at once.
    public var concurrentStreams: Int?

    /// No limits.
    public static let none = RateLimits()

    /// Creates limits, rejecting a limit below 1.
    public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, concurrentStreams: Int? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.concurrentStreams = concurrentStreams
    }

    /// Checks every limit is at least 1, naming the limit to fix.
    public func validated() throws(BudgetError) -> RateLimits {
        let limits: [(BudgetError.RateLimitField, Int?)] = [
            (.requestsPerMinute, requestsPerMinute), (.tokensPerMinute, tokensPerMinute), (.concurrentStreams, concurrentStreams),
        ]
        for (field, value) in limits {
            if let value, value < 1 {
                throw BudgetError(
                    .invalidInput,
                    "\(field.rawValue) must be at least 1, got \(value): give a positive limit, or 0 to remove it",
                    problem: .rateLimitBelowOne(field, value)
                )
            }
        }
        return self
    }

    /// Whether a per-minute limit is set: only then does admission count the last minute's requests.
    public var isWindowed: Bool { requestsPerMinute != nil || tokensPerMinute != nil }

    /// Whether no limit is set: admission then does no rate work at all.
    public var isEmpty: Bool { requestsPerMinute == nil && tokensPerMinute == nil && concurrentStreams == nil }
}
