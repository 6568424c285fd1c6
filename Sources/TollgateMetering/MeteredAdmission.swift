import Foundation
import TollgateCore
import TollgateStorage

/// What admission decided for one request, known before the upstream opens — enough for a gateway
/// to answer with headers (price version, hold, remaining budget) or a refusal.
public struct MeteredAdmission: Sendable, Hashable {
    /// The request id; the ledger entry's `request_id`.
    public let requestID: String
    /// The team's name.
    public let teamName: String
    /// When the request was admitted; its usage is priced at this instant.
    public let admittedAt: Date
    /// Prompt tokens counted exactly (or estimated) before the stream opened.
    public let promptTokens: Int
    /// The decision, with the hold and the `max_tokens` sent upstream.
    public let decision: AdmissionDecision
    /// The budget as it stood before this request.
    public let status: BudgetStatus
    /// The price version in force at admission.
    public let priceVersion: String
    /// The FX version in force at admission.
    public let fxVersion: String
    /// The most output tokens the hold (or a soft budget's remainder) affords: the cutoff point.
    public let allowedOutputTokens: Int
    /// The team's and key's rate-limit figures after this request, when either has limits: the
    /// `x-ratelimit-*` headers.
    public var rateLimit: RateLimitCheck? = nil
    /// Which budget decided the hold: the team's, or the key's own when it had less room.
    public var scope: BudgetScope = .team

    /// What the budget can still hold once this request's hold is counted.
    public var availableAfterHold: Money {
        let left = status.available - (decision.hold ?? .zero(status.limit.currency))
        return left.nanos > 0 ? left : .zero(status.limit.currency)
    }
}
