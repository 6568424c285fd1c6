import TollgateCore

/// Sums over a set of ledger entries: counts, tokens and the four stored money columns.
///
/// Reports add these up and never re-price, so a past month reads the same after any price change.
public struct UsageTotals: Hashable, Sendable {
    /// How many entries were summed (for usage, the number of requests).
    public var entries: Int64 = 0
    /// Billed input tokens, cached ones included.
    public var inputTokens: Int64 = 0
    /// The cached part of `inputTokens`.
    public var cachedInputTokens: Int64 = 0
    /// The part of `inputTokens` written to a 5-minute prompt cache (Anthropic's cache writes).
    public var cacheWrite5mTokens: Int64 = 0
    /// The part of `inputTokens` written to a 1-hour prompt cache.
    public var cacheWrite1hTokens: Int64 = 0
    /// Billed output tokens.
    public var outputTokens: Int64 = 0
    /// The reasoning part of `outputTokens` (see `TokenUsage.reasoningTokens`).
    public var reasoningTokens: Int64 = 0
    /// Entries whose tokens came from the upstream and that also carry Tollgate's own counts.
    public var reconciledEntries: Int64 = 0
    /// Tollgate's input count over the reconciled entries.
    public var localInputTokens: Int64 = 0
    /// Tollgate's output count over the reconciled entries.
    public var localOutputTokens: Int64 = 0
    /// The upstream's input count over the same reconciled entries.
    public var upstreamInputTokens: Int64 = 0
    /// The upstream's output count over the same reconciled entries.
    public var upstreamOutputTokens: Int64 = 0
    /// Signed charge in relay list USD.
    public var chargeUSD: Money = .zero(.usd)
    /// Signed charge in CNY: what was paid through the relay.
    public var chargeCNY: Money = .zero(.cny)
    /// The same usage at the official list price.
    public var officialUSD: Money = .zero(.usd)
    /// The official price at the baseline FX rate: what buying directly would have cost.
    public var baselineCNY: Money = .zero(.cny)

    /// All zero.
    public init() {}

    /// The totals of one entry.
    public init(_ entry: LedgerEntry) {
        entries = 1
        inputTokens = Int64(entry.usage.inputTokens)
        cachedInputTokens = Int64(entry.usage.cachedInputTokens)
        cacheWrite5mTokens = Int64(entry.usage.cacheWrite5mTokens)
        cacheWrite1hTokens = Int64(entry.usage.cacheWrite1hTokens)
        outputTokens = Int64(entry.usage.outputTokens)
        reasoningTokens = Int64(entry.usage.reasoningTokens)
        if entry.tokenSource == .upstream, let localInput = entry.localInputTokens, let localOutput = entry.localOutputTokens {
            reconciledEntries = 1
            localInputTokens = Int64(localInput)
            localOutputTokens = Int64(localOutput)
            upstreamInputTokens = inputTokens
            upstreamOutputTokens = outputTokens
        }
        chargeUSD = entry.chargeUSD
        chargeCNY = entry.chargeCNY
        officialUSD = entry.officialUSD
        baselineCNY = entry.baselineCNY
    }

    /// Adds another set of totals to this one.
    public static func += (lhs: inout UsageTotals, rhs: UsageTotals) {
        lhs.entries += rhs.entries
        lhs.inputTokens += rhs.inputTokens
        lhs.cachedInputTokens += rhs.cachedInputTokens
        lhs.cacheWrite5mTokens += rhs.cacheWrite5mTokens
        lhs.cacheWrite1hTokens += rhs.cacheWrite1hTokens
        lhs.outputTokens += rhs.outputTokens
        lhs.reasoningTokens += rhs.reasoningTokens
        lhs.reconciledEntries += rhs.reconciledEntries
        lhs.localInputTokens += rhs.localInputTokens
        lhs.localOutputTokens += rhs.localOutputTokens
        lhs.upstreamInputTokens += rhs.upstreamInputTokens
        lhs.upstreamOutputTokens += rhs.upstreamOutputTokens
        lhs.chargeUSD = lhs.chargeUSD + rhs.chargeUSD
        lhs.chargeCNY = lhs.chargeCNY + rhs.chargeCNY
        lhs.officialUSD = lhs.officialUSD + rhs.officialUSD
        lhs.baselineCNY = lhs.baselineCNY + rhs.baselineCNY
    }

    /// The sum of two sets of totals.
    public static func + (lhs: UsageTotals, rhs: UsageTotals) -> UsageTotals {
        var sum = lhs
        sum += rhs
        return sum
    }
}
