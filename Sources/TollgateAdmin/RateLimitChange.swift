import TollgateCore

/// A change to rate limits: each field `nil` keeps the current limit, `0` removes it, above 0 sets it.
public struct RateLimitChange: Sendable, Hashable {
    /// Requests per minute.
    public var requestsPerMinute: Int?
    /// Tokens per minute.
    public var tokensPerMinute: Int?
    /// Concurrent streams.
    public var concurrentStreams: Int?

    /// Creates a change.
    public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, concurrentStreams: Int? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.concurrentStreams = concurrentStreams
    }

    /// `current` with this change applied; a negative value is refused saying what to give.
    public func applied(to current: RateLimits) throws(BudgetError) -> RateLimits {
        func merge(_ value: Int?, _ old: Int?, _ field: BudgetError.RateLimitField) throws(BudgetError) -> Int? {
            guard let value else { return old }
            guard value >= 0 else { throw BudgetError.negativeRateLimit(field, value) }
            return value == 0 ? nil : value
        }
        return RateLimits(
            requestsPerMinute: try merge(requestsPerMinute, current.requestsPerMinute, .requestsPerMinute),
            tokensPerMinute: try merge(tokensPerMinute, current.tokensPerMinute, .tokensPerMinute),
            concurrentStreams: try merge(concurrentStreams, current.concurrentStreams, .concurrentStreams)
        )
    }
}
