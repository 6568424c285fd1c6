import HTTPTypes
import TollgateCore

extension GatewayHeader {
    /// `x-ratelimit-limit-requests`, as OpenAI sends it: the tighter of the team's and key's limits.
    public static let limitRequests = HTTPField.Name("x-ratelimit-limit-requests")!
    /// `x-ratelimit-remaining-requests`: what is left in the last minute once this request counts.
    public static let remainingRequests = HTTPField.Name("x-ratelimit-remaining-requests")!
    /// `x-ratelimit-reset-requests`: when the oldest request counted leaves the window (`12s`).
    public static let resetRequests = HTTPField.Name("x-ratelimit-reset-requests")!
    /// `x-ratelimit-limit-tokens`.
    public static let limitTokens = HTTPField.Name("x-ratelimit-limit-tokens")!
    /// `x-ratelimit-remaining-tokens`.
    public static let remainingTokens = HTTPField.Name("x-ratelimit-remaining-tokens")!
    /// `x-ratelimit-reset-tokens`.
    public static let resetTokens = HTTPField.Name("x-ratelimit-reset-tokens")!

    /// Adds the `x-ratelimit-*` headers of the limits `check` carries (none without limits).
    static func addRateLimits(_ check: RateLimitCheck?, to headers: inout HTTPFields) {
        if let requests = check?.requests {
            headers[limitRequests] = String(requests.limit)
            headers[remainingRequests] = String(requests.remaining)
            headers[resetRequests] = "\(requests.resetSeconds)s"
        }
        if let tokens = check?.tokens {
            headers[limitTokens] = String(tokens.limit)
            headers[remainingTokens] = String(tokens.remaining)
            headers[resetTokens] = "\(tokens.resetSeconds)s"
        }
    }
}
