import TollgateCore
import TollgateStorage

/// Usage over any period: requests, tokens, list USD and paid CNY, per team, model or day.
public struct UsageReport: Sendable {
    /// The period covered.
    public let period: ReportPeriod
    /// The one team reported on, or `nil` for all.
    public let team: String?
    /// What the rows are per.
    public let grouping: ReportGrouping
    /// Usage rows, sorted by label.
    public let rows: [SavingsRow]
    /// The sum of `rows`.
    public let totals: SavingsRow
    /// Credits and corrections in the period.
    public let adjustments: [AdjustmentRow]
    /// Usage per team and per day, for charts.
    public let byTeam: [SavingsRow], byDay: [SavingsRow]

    /// Builds the report from the store's sums over `period.boundaries` (`keySums` for rows per
    /// key, whose prefixes `keys` gives by id).
    public init(period: ReportPeriod, team: String?, grouping: ReportGrouping, sums: [UsageSum], teams: [Int64: String], keys: [Int64: String] = [:])
    {
        self.period = period
        self.team = team
        self.grouping = grouping
        rows = SavingsRow.rows(sums, by: grouping, teams: teams, keys: keys, days: period.dayLabels)
        totals = SavingsRow.total(rows)
        adjustments = AdjustmentRow.rows(sums, teams: teams)
        byTeam = SavingsRow.rows(sums, by: .team, teams: teams, days: period.dayLabels)
        byDay = SavingsReport.everyDay(SavingsRow.rows(sums, by: .day, teams: teams, days: period.dayLabels), period.dayLabels)
    }

    static let valueColumns = [
        "requests", "input_tokens", "cached_input_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens", "output_tokens", "reasoning_tokens",
        "list_usd", "paid_cny",
    ]

    static func values(_ row: SavingsRow) -> [ReportCell] {
        [
            .integer(row.requests), .integer(row.totals.inputTokens), .integer(row.totals.cachedInputTokens),
            .integer(row.totals.cacheWrite5mTokens), .integer(row.totals.cacheWrite1hTokens),
            .integer(row.totals.outputTokens), .integer(row.totals.reasoningTokens), .amount(row.listUSD.decimalString),
            .amount(row.paidCNY.decimalString),
        ]
    }

    /// The main table with its TOTAL line.
    public var table: ReportTable {
        ReportTable(
            columns: grouping.labelColumns + Self.valueColumns,
            rows: rows.map { $0.labels(grouping, total: false) + Self.values($0) },
            total: totals.labels(grouping, total: true) + Self.values(totals)
        )
    }

    /// The report laid out for people.
    public var document: ReportDocument {
        let empty = rows.isEmpty && adjustments.isEmpty
        return ReportDocument(
            title: "Usage report \(period.name)",
            facts: [
                ("From", ReportPeriod.instantText(period.start, period.timeZone)),
                ("To (excluded)", ReportPeriod.instantText(period.end, period.timeZone)),
                ("Time zone", period.zoneName), ("Team", team ?? "all teams"),
            ],
            notes: empty ? ["No ledger entries in this period\(team.map { " for team '\($0)'" } ?? "")."] : [],
            sections: [
                .init(title: "Usage", table: table),
                .init(title: "Credits and corrections (signed: a credit is negative)", table: AdjustmentRow.table(adjustments)),
            ],
            charts: [
                BarChart(
                    title: "Spend by team (paid CNY)",
                    bars: byTeam.map { .init(label: $0.team ?? "-", nanos: $0.paidCNY.nanos, text: "¥" + $0.paidCNY.decimalString) },
                    layout: .horizontal
                ),
                BarChart(
                    title: "Daily spend (paid CNY)",
                    bars: byDay.map { .init(label: $0.day ?? "-", nanos: $0.paidCNY.nanos, text: "¥" + $0.paidCNY.decimalString) },
                    layout: .vertical
                ),
            ]
        )
    }

    /// The report as one JSON object (field names documented in README).
    public var json: ReportJSONValue {
        let adjustmentTotal = adjustments.reduce(into: UsageTotals()) { $0 += $1.totals }
        return .object([
            ("report", .string("usage")),
            ("period", PeriodJSON.value(period)),
            ("team", team.map(ReportJSONValue.string) ?? .null),
            ("group_by", .string(grouping.rawValue)),
            ("rows", table.jsonRows()),
            ("totals", .object(zip(Self.valueColumns, Self.values(totals)).map { ($0, $1.json) })),
            ("adjustments", ReportTable(columns: AdjustmentRow.columns, rows: adjustments.map(\.cells)).jsonRows()),
            ("net_paid_cny", .string((totals.paidCNY + adjustmentTotal.chargeCNY).decimalString)),
        ])
    }

    /// The report in `format`.
    public func render(_ format: ReportFormat) -> String { document.render(format, json: json) }
}
