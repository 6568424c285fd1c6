import TollgateCore
import TollgateStorage
import TollgateStreaming

/// What settlement bills when the upstream reports usage: its report is the relay's invoice, but
/// it is untrusted input (see ARCHITECTURE.md, Metering: untrusted upstream usage).
///
/// - Invalid (a negative count, a count above `TokenUsage.maximumCount`, a negative cached count, or
///   a usage the price table can't value) → Tollgate's own count, marked `invalid`. A cached count
///   above the input is capped at the input, not refused.
/// - Below Tollgate's count of what was delivered by more than `tolerance` (output always; input
///   only when the local prompt count is exact) → Tollgate's own count, marked `underReported`.
/// - Otherwise the upstream's numbers; if they charge more than the hold at settlement, the entry is
///   marked `overrun` with the excess (see `MeterSession`).
enum UpstreamUsageRule {
    /// An under-report is a shortfall of more than this many tokens…
    static let toleranceTokens = 16
    /// …and of more than this percent of Tollgate's count.
    static let tolerancePercent = 10

    /// The usage to bill, where it comes from, and the mark for the entry (nil: nothing to note).
    static func billed(
        upstream: UpstreamUsage?,
        local: TokenUsage,
        localSource: TokenSource
    ) -> (usage: TokenUsage, source: TokenSource, check: UsageCheck?) {
        guard let upstream else { return (local, localSource, nil) }
        guard let reported = valid(upstream) else { return (local, localSource, .invalid) }
        let outputShort = isUnderReported(reported.outputTokens, local: local.outputTokens)
        let inputShort = localSource == .tokenizer && isUnderReported(reported.inputTokens, local: local.inputTokens)
        if outputShort || inputShort { return (local, localSource, .underReported) }
        // The reasoning split is for visibility, never billing: the upstream's when it reports a
        // usable one, else Tollgate's count of the reasoning text, kept within the billed output.
        let reasoning = upstream.reasoningTokens.flatMap { $0 >= 0 ? $0 : nil } ?? local.reasoningTokens
        return (reported.withReasoning(reasoning), .upstream, nil)
    }

    /// The report as usage, or nil when it can't be one.
    static func valid(_ upstream: UpstreamUsage) -> TokenUsage? {
        guard upstream.isWholeNumbers else { return nil }
        let cached = upstream.cachedInputTokens ?? 0
        // A cached count above the input is a relay quirk seen in the wild, not an attack: cap it.
        guard cached >= 0 else { return nil }
        let input = max(upstream.inputTokens, 0)
        let read = min(cached, input)
        // Cache writes are parts of the input too (Anthropic's report is mapped so they are); a
        // negative one is invalid, and one past what is left of the input is capped like the reads.
        let hour = upstream.cacheWrite1hTokens ?? 0
        let fiveMinutes = upstream.cacheWrite5mTokens ?? 0
        guard hour >= 0, fiveMinutes >= 0 else { return nil }
        let cappedHour = min(hour, input - read)
        return try? TokenUsage(
            inputTokens: upstream.inputTokens,
            cachedInputTokens: read,
            cacheWrite5mTokens: min(fiveMinutes, input - read - cappedHour),
            cacheWrite1hTokens: cappedHour,
            outputTokens: upstream.outputTokens
        )
    }

    /// Whether `reported` falls short of `local` by more than both tolerances.
    static func isUnderReported(_ reported: Int, local: Int) -> Bool {
        let shortfall = local - reported
        return shortfall > toleranceTokens && shortfall * 100 > local * tolerancePercent
    }
}
