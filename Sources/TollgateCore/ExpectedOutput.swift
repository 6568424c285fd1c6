/// The output a team can expect from a model, from its recent settled streams: what an `expected`
/// hold reserves instead of `max_tokens`.
///
/// The rule: the p95 (nearest rank) of the output token counts of the team's last `window` streams of
/// the model that completed within `maximumAge` (a stream cut off or dropped undercounts its answer),
/// at least `floorTokens`, at most the request's `max_tokens`. With fewer than `minimumSamples` such
/// streams there is nothing to expect yet and the hold is the worst case.
///
/// Why these numbers: 200 streams and 30 days follow a team's current use of a model (a changed
/// prompt shows within a day or two of traffic) without one odd answer moving the p95 much; 20
/// samples is the least for which a p95 is more than the maximum. The floor of 256 tokens (four of
/// `HoldExtension`'s smallest steps) keeps a team of one-word answers from asking an extension on
/// nearly every stream that says more.
public enum ExpectedOutput {
    /// How many recent completed streams of the team and model are sampled.
    public static let window = 200
    /// How old a sample may be, in seconds (30 days).
    public static let maximumAge: Double = 30 * 24 * 3600
    /// Fewer samples than this fall back to the worst case.
    public static let minimumSamples = 20
    /// The smallest output an `expected` hold covers.
    public static let floorTokens = max(256, HoldExtension.minimumStepTokens)

    /// The p95 of `samples` by nearest rank (the smallest value with at least 95 % of the samples at
    /// or below it), or `nil` when there are none.
    public static func p95(_ samples: [Int]) -> Int? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        // ⌈0.95 n⌉ in integers: (95 n + 99) / 100.
        let rank = (95 * sorted.count + 99) / 100
        return sorted[rank - 1]
    }

    /// The expected output — the p95 of the team's recent completed output counts for the model
    /// (newest first; only the first `window` count), at least `floorTokens` — or `nil` with fewer
    /// than `minimumSamples` of them. `AdmissionRequest.heldOutputTokens` caps it at `max_tokens`.
    public static func tokens(recentOutputs: [Int]) -> Int? {
        let samples = recentOutputs.prefix(window).map { max(0, $0) }
        guard samples.count >= minimumSamples, let p95 = p95(samples) else { return nil }
        return max(p95, floorTokens)
    }

    /// The output tokens to hold under `policy` for a request of `maxOutputTokens`: `max_tokens`
    /// under `worst-case` or without enough samples, else the expected output capped at it.
    public static func heldOutputTokens(policy: HoldPolicy, recentOutputs: [Int], maxOutputTokens: Int) -> Int {
        let maximum = max(0, maxOutputTokens)
        guard policy == .expected, let expected = tokens(recentOutputs: recentOutputs) else { return maximum }
        return min(expected, maximum)
    }
}
