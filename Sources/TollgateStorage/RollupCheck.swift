/// The outcome of recomputing usage rollups from the raw entries they summarise.
public struct RollupCheck: Hashable, Sendable {
    /// Rollup keys (bucket, team, model, kind, versions) compared.
    public var keysCompared: Int
    /// Raw entries summed for the comparison.
    public var entriesCompared: Int64
    /// Keys whose rollup row differs from the raw entries, described for people, at most 100.
    public var mismatches: [String]

    /// Creates a result.
    public init(keysCompared: Int = 0, entriesCompared: Int64 = 0, mismatches: [String] = []) {
        self.keysCompared = keysCompared
        self.entriesCompared = entriesCompared
        self.mismatches = mismatches
    }

    /// Whether the rollup agrees with the entries to the last token and nano.
    public var matches: Bool { mismatches.isEmpty }
}
