import TollgateCore
import TollgateStorage

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
    /// Entries whose upstream report settlement judged (invalid, under-reported, overrun), oldest first.
    public let checked: [LedgerEntry]
    /// Team names by id, for `checked`.
    public let teamNames: [Int64: String]
    /// Requests the upstream refused or never got (`upstream_refused`, `upstream_unreachable`),
    /// billed nothing, per model and outcome.
    public let refused: [OutcomeCount]

    /// The outcomes counted in ``refused``.
    public static let refusedOutcomes = ["upstream_refused", "upstream_unreachable"]

    /// Builds the report from the store's sums over the period, the period's checked entries and
    /// its counts of requests the upstream refused.
    public init(period: ReportPeriod, sums: [UsageSum], checked: [LedgerEntry] = [], teamNames: [Int64: String] = [:], refused: [OutcomeCount] = []) {
        self.period = period
        self.checked = checked
        self.refused = refused
        self.teamNames = teamNames
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
        ReportTable(
            columns: Self.columns,
            rows: rows.map { [.text($0.model)] + Self.values($0.totals) },
            total: [.text("TOTAL")] + Self.values(totals)
        )
    }

    static let checkColumns = ["occurred_at", "team", "model", "check", "billed_output_tokens", "local_output_tokens", "overrun"]

    /// One line per judged upstream report: what was billed, what Tollgate counted, and the overrun.
    public var checkTable: ReportTable {
        ReportTable(
            columns: Self.checkColumns,
            rows: checked.map { entry in
                [
                    .text(entry.occurredAt.formatted(.iso8601)), .text(teamNames[entry.teamID] ?? "#\(entry.teamID)"),
                    .text(entry.model?.rawValue ?? "-"), .text(entry.usageCheck?.rawValue ?? "-"), .integer(Int64(entry.usage.outputTokens)),
                    entry.localOutputTokens.map { .integer(Int64($0)) } ?? .empty,
                    entry.overrunNanos.map { .amount(NanoDecimal.format($0)) } ?? .empty,
                ]
            }
        )
    }

    static let refusedColumns = ["model", "outcome", "entries"]

    /// One line per model and outcome of the requests the upstream refused or never got.
    public var refusedTable: ReportTable {
        ReportTable(
            columns: Self.refusedColumns,
            rows: refused.map { [.text($0.model ?? "-"), .text($0.outcome), .integer($0.entries)] },
            total: [.text("TOTAL"), .empty, .integer(refused.reduce(0) { $0 + $1.entries })]
        )
    }

    /// The report laid out for people.
    public var document: ReportDocument {
        var sections: [ReportDocument.Section] = [.init(title: "Local vs upstream token counts", table: table)]
        if !checked.isEmpty {
            sections.append(
                .init(title: "Upstream usage reports not billed as sent (overrun: past the hold, in the budget's currency)", table: checkTable)
            )
        }
        if !refused.isEmpty {
            sections.append(.init(title: "Requests the upstream refused or never got (billed nothing)", table: refusedTable))
        }
        let overruns = checked.filter { $0.usageCheck == .overrun }.count
        let refusals = refused.reduce(0) { $0 + $1.entries }
        return ReportDocument(
            title: "Token reconciliation \(period.name)",
            facts: [
                ("Month", period.name), ("Time zone", period.zoneName),
                ("Compared", "entries billed on upstream counts that also carry Tollgate's own counts"),
                ("Input", "the prompt Tollgate counted at admission against the upstream's prompt_tokens"),
                ("Drift", "local minus upstream; percent of upstream, half away from zero to 2 places"),
            ] + (checked.isEmpty ? [] : [("Usage checks", "\(checked.count) judged upstream reports, \(overruns) overruns")])
                + (refused.isEmpty ? [] : [("Upstream refusals", "\(refusals) requests refused or unreachable upstream, billed nothing")]),
            notes: rows.isEmpty ? ["No entries to reconcile in \(period.name): none was billed on upstream counts with local counts beside it."] : [],
            sections: sections,
            charts: [
                BarChart(
                    title: "Prompt (input) drift by model (tokens)",
                    bars: rows.map { .init(label: $0.model, nanos: abs($0.inputDrift), text: String($0.inputDrift)) },
                    layout: .horizontal
                ),
                BarChart(
                    title: "Output drift by model (tokens)",
                    bars: rows.map { .init(label: $0.model, nanos: abs($0.outputDrift), text: String($0.outputDrift)) },
                    layout: .horizontal
                ),
            ]
        )
    }

    /// The report as one JSON object.
    public var json: ReportJSONValue {
        var fields: [(String, ReportJSONValue)] = [
            ("report", .string("reconcile")), ("period", PeriodJSON.value(period)), ("rows", table.jsonRows()),
            ("totals", .object(zip(Self.columns.dropFirst(), Self.values(totals)).map { ($0, $1.json) })),
        ]
        if !checked.isEmpty { fields.append(("usage_checks", checkTable.jsonRows())) }
        if !refused.isEmpty { fields.append(("upstream_refusals", refusedTable.jsonRows())) }
        return .object(fields)
    }

    /// The report in `format`.
    public func render(_ format: ReportFormat) -> String { document.render(format, json: json) }
}
