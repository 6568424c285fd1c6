import TollgateCore

/// What admission needs of a request's key beyond its team's: its own budget and rate limits.
public struct KeyLimits: Hashable, Sendable {
    /// The key's id.
    public let id: Int64
    /// Its prefix, to name it in a refusal.
    public let prefix: String
    /// Its own budget, if any.
    public let budget: KeyBudget?
    /// Its own rate limits.
    public let limits: RateLimits

    /// Creates key limits.
    public init(id: Int64, prefix: String, budget: KeyBudget?, limits: RateLimits) {
        self.id = id
        self.prefix = prefix
        self.budget = budget
        self.limits = limits
    }
}
