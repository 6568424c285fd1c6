import TollgateCore
import TollgateLedger

/// Tokens Tollgate counted itself against what the upstream reported, per model, for the entries
/// billed on upstream counts that also carry local counts.
public struct ReconcileReport: Sendable {
    /// One model's counts.
    public struct Row: Sendable, Hashable {
        /// The model.
        public var model: String
        /// Sums; the `reconciled…`, `local…` and `upstream…` fields are the ones compared.
        public var totals: UsageTotals

        /// Local minus upstream input tokens.
        public var inputDrift: Int64 { totals.localInputTokens - totals.upstreamInputTokens }
        /// Local minus upstream output tokens.
        public var outputDrift: Int64 { totals.localOutputTokens - totals.upstreamOutputTokens }
    }

    /// The period covered.
    public let period: ReportPeriod
    /// Models with at least one reconciled entry, by name.
    public let rows: [Row]
    /// All models together.
    public let totals: UsageTotals

    /// Builds the report from the store's sums over the period.
    public init(period: ReportPeriod, sums: [UsageSum]) {
        self.period = period
        var byModel: [String: UsageTotals] = [:]
        for sum in sums where sum.kind == .usage && sum.totals.reconciledEntries > 0 {
            byModel[sum.model?.rawValue ?? "-", default: UsageTotals()] += sum.totals
        }
        rows = byModel.sorted { $0.key < $1.key }.map { Row(model: $0.key, totals: $0.value) }
        totals = rows.reduce(into: UsageTotals()) { $0 += $1.totals }
    }

    static let columns = [
        "model", "entries", "local_input_tokens", "upstream_input_tokens", "input_drift", "input_drift_percent",
        "local_output_tokens", "upstream_output_tokens", "output_drift", "output_drift_percent",
    ]

    static func values(_ totals: UsageTotals) -> [ReportCell] {
        func percent(_ drift: Int64, _ upstream: Int64) -> ReportCell {
            NanoDecimal.percent(drift, of: upstream).map { .amount(NanoDecimal.format($0)) } ?? .empty
        }
        let inputDrift = totals.localInputTokens - totals.upstreamInputTokens
        let outputDrift = totals.localOutputTokens - totals.upstreamOutputTokens
        return [
            .integer(totals.reconciledEntries), .integer(totals.localInputTokens), .integer(totals.upstreamInputTokens),
            .integer(inputDrift), percent(inputDrift, totals.upstreamInputTokens),
            .integer(totals.localOutputTokens), .integer(totals.upstreamOutputTokens),
            .integer(outputDrift), percent(outputDrift, totals.upstreamOutputTokens),
        ]
    }

    /// The per-model table with its TOTAL line.
    public var table: ReportTable {
        ReportTable(columns: Self.columns, rows: rows.map { [.text($0.model)] + Self.values($0.totals) }, total: [.text("TOTAL")] + Self.values(totals))
    }

    /// The report laid out for people.
    public var document: ReportDocument {
        ReportDocument(
            title: "Token reconciliation \(period.name)",
            facts: [
                ("Month", period.name), ("Time zone", period.zoneName),
                ("Compared", "entries billed on upstream counts that also carry Tollgate's own counts"),
                ("Drift", "local minus upstream; percent of upstream, half away from zero to 2 places"),
            ],
            notes: rows.isEmpty ? ["No entries to reconcile in \(period.name): none was billed on upstream counts with local counts beside it."] : [],
            sections: [.init(title: "Local vs upstream token counts", table: table)],
            charts: [
                BarChart(title: "Output drift by model (tokens)", bars: rows.map { .init(label: $0.model, nanos: abs($0.outputDrift), text: String($0.outputDrift)) }, layout: .horizontal)
            ]
        )
    }

    /// The report as one JSON object.
    public var json: JSONValue {
        .object([
            ("report", .string("reconcile")), ("period", PeriodJSON.value(period)), ("rows", table.jsonRows()),
            ("totals", .object(zip(Self.columns.dropFirst(), Self.values(totals)).map { ($0, $1.json) })),
        ])
    }

    /// The report in `format`.
    public func render(_ format: ReportFormat) -> String { document.render(format, json: json) }
}
