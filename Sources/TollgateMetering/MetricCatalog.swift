/// Every metric Tollgate emits: its Prometheus name, kind, labels, help text and histogram buckets.
///
/// The one list behind the emitters, the Prometheus factory's `# HELP` lines and buckets, the
/// tests that check the dashboard names only real metrics, and `docs/metrics.md`. Names are the
/// Prometheus forms: OpenTelemetry's `gen_ai.client.token.usage` is `gen_ai_client_token_usage`.
public struct MetricCatalog: Sendable, Hashable {
    /// How a metric aggregates.
    public enum Kind: String, Sendable, Hashable {
        /// Only goes up (Prometheus adds `_total` in the name here already).
        case counter
        /// Goes up and down; the last value counts.
        case gauge
        /// Distribution of values or durations in fixed buckets.
        case histogram
    }

    /// The Prometheus metric name.
    public let name: String
    /// How it aggregates.
    public let kind: Kind
    /// Label names, always all present.
    public let labels: [String]
    /// The `# HELP` line.
    public let help: String
    /// Upper bounds of a histogram's buckets (seconds for durations); empty otherwise.
    public let buckets: [Double]

    init(_ name: String, _ kind: Kind, labels: [String] = [], help: String, buckets: [Double] = []) {
        self.name = name
        self.kind = kind
        self.labels = labels
        self.help = help
        self.buckets = buckets
    }

    /// The catalog entry of `name`, if Tollgate emits it.
    public static func named(_ name: String) -> MetricCatalog? { byName[name] }

    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}
