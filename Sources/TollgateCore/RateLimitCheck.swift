import Foundation

/// The pure rate-limit decision for one request against one team's or key's limits and usage, and
/// the figures the `x-ratelimit-*` headers carry.
public struct RateLimitCheck: Hashable, Sendable {
    /// One limit's figures after this request: its limit, what is left, seconds until the window frees.
    public struct Figures: Hashable, Sendable {
        /// The limit.
        public let limit: Int
        /// What is left once this request is counted, never below zero.
        public let remaining: Int
        /// Seconds until the oldest request counted leaves the window (0 with none).
        public let resetSeconds: Int

        /// Creates figures.
        public init(limit: Int, remaining: Int, resetSeconds: Int) {
            self.limit = limit
            self.remaining = remaining
            self.resetSeconds = resetSeconds
        }
    }

    /// Which limit refused, if one did: `requests`, `tokens` or `streams`.
    public let exceeded: String?
    /// Whose limit it is: `team` or `key` (set by whoever checked both).
    public var scope = "team"
    /// When `scope` is `key`: the key's prefix.
    public var key: String?
    /// The refused limit's value and what was used against it.
    public let limit: Int?
    /// What was already used against the refused limit.
    public let used: Int?
    /// Seconds after which a retry may fit (1 for streams: one may end any moment).
    public let retryAfterSeconds: Int
    /// Request-limit figures, when a request limit is set.
    public let requests: Figures?
    /// Token-limit figures, when a token limit is set.
    public let tokens: Figures?

    /// Checks `limits` for a request of `requestTokens` at `now`, given `usage`.
    public static func check(_ limits: RateLimits, usage: RateUsage, requestTokens: Int, now: Date) -> RateLimitCheck {
        let resetSeconds = usage.oldest.map { max(1, Int(($0.timeIntervalSince(now) + RateUsage.window).rounded(.up))) } ?? 0
        var exceeded: (String, Int, Int, Int)?
        if let max = limits.concurrentStreams, usage.streams + 1 > max { exceeded = ("streams", max, usage.streams, 1) }
        if exceeded == nil, let max = limits.requestsPerMinute, usage.requests + 1 > max {
            exceeded = ("requests", max, usage.requests, Swift.max(1, resetSeconds))
        }
        if exceeded == nil, let max = limits.tokensPerMinute, usage.tokens + requestTokens > max {
            exceeded = ("tokens", max, usage.tokens, Swift.max(1, resetSeconds))
        }
        let counted = exceeded == nil ? 1 : 0
        return RateLimitCheck(
            exceeded: exceeded?.0,
            limit: exceeded?.1,
            used: exceeded?.2,
            retryAfterSeconds: exceeded?.3 ?? 0,
            requests: limits.requestsPerMinute.map {
                Figures(limit: $0, remaining: Swift.max(0, $0 - usage.requests - counted), resetSeconds: resetSeconds)
            },
            tokens: limits.tokensPerMinute.map {
                Figures(limit: $0, remaining: Swift.max(0, $0 - usage.tokens - counted * requestTokens), resetSeconds: resetSeconds)
            }
        )
    }

    /// Whether the request may go.
    public var allowed: Bool { exceeded == nil }

    /// The team's and the key's checks as one: the first refusal (the team's before the key's), and
    /// for each header the figures with less left, as a client must respect the tighter.
    public static func merged(team: RateLimitCheck?, key: RateLimitCheck?) -> RateLimitCheck? {
        guard let team else { return key }
        guard let key else { return team }
        let refusal = team.allowed ? key : team
        func tighter(_ a: Figures?, _ b: Figures?) -> Figures? {
            guard let a else { return b }
            guard let b else { return a }
            return b.remaining < a.remaining ? b : a
        }
        var merged = RateLimitCheck(
            exceeded: refusal.exceeded,
            limit: refusal.limit,
            used: refusal.used,
            retryAfterSeconds: refusal.retryAfterSeconds,
            requests: tighter(team.requests, key.requests),
            tokens: tighter(team.tokens, key.tokens)
        )
        merged.scope = refusal.scope
        merged.key = refusal.key
        return merged
    }

    private init(exceeded: String?, limit: Int?, used: Int?, retryAfterSeconds: Int, requests: Figures?, tokens: Figures?) {
        self.exceeded = exceeded
        self.limit = limit
        self.used = used
        self.retryAfterSeconds = retryAfterSeconds
        self.requests = requests
        self.tokens = tokens
    }
}
