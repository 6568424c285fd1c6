import TollgateCore
import TollgateStorage
import TollgateStreaming

/// What one metered stream consumed and was charged, as settled in the ledger.
public struct MeteredSummary: Sendable, Hashable {
    /// The request id (the ledger entry's `request_id`).
    public let requestID: String
    /// The model.
    public let model: ModelID
    /// Tokens billed: upstream-reported when the upstream sent usage, Tollgate's count otherwise.
    public let usage: TokenUsage
    /// Where `usage` comes from.
    public let tokenSource: TokenSource
    /// Prompt tokens Tollgate counted at admission.
    public let localInputTokens: Int
    /// Output tokens Tollgate counted (what was delivered).
    public let localOutputTokens: Int
    /// Every view of the cost, with the price and FX versions used.
    public let valuation: Valuation
    /// The charge against the team's budget, in its currency.
    public let charge: Money
    /// How the stream ended.
    public let outcome: StreamOutcome
    /// How admission let it in.
    public let admission: AdmissionDecision
    /// The upstream's finish reason, when it finished.
    public let finishReason: String?
    /// `false` when another process had already settled the hold (a reclaim): nothing was written twice.
    public let written: Bool
    /// How settlement judged the upstream's usage report, when it didn't simply bill it.
    public var usageCheck: UsageCheck? = nil
    /// For an `overrun`: how far the charge went past the hold, in the budget's currency.
    public var overrun: Money? = nil
}
