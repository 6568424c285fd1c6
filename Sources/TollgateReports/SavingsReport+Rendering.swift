import TollgateCore
import TollgateStorage

extension SavingsReport {
    /// Amount columns of a savings row, after its label columns; also the JSON field names.
    static let valueColumns = [
        "requests", "input_tokens", "cached_input_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens", "output_tokens", "reasoning_tokens",
        "list_usd", "official_usd", "paid_cny",
        "baseline_cny", "savings_cny", "savings_percent", "annualised_savings_cny",
    ]

    static func values(_ row: SavingsRow) -> [ReportCell] {
        [
            .integer(row.requests), .integer(row.totals.inputTokens), .integer(row.totals.cachedInputTokens),
            .integer(row.totals.cacheWrite5mTokens), .integer(row.totals.cacheWrite1hTokens),
            .integer(row.totals.outputTokens), .integer(row.totals.reasoningTokens),
            .amount(row.listUSD.decimalString), .amount(row.officialUSD.decimalString),
            .amount(row.paidCNY.decimalString), .amount(row.baselineCNY.decimalString), .amount(row.savingsCNY.decimalString),
            row.savingsPercentNanos.map { .amount(NanoDecimal.format($0)) } ?? .empty,
            .amount(row.annualisedSavingsCNY.decimalString),
        ]
    }

    /// The main table: one line per row and a TOTAL line.
    public var table: ReportTable {
        ReportTable(
            columns: grouping.labelColumns + Self.valueColumns,
            rows: rows.map { $0.labels(grouping, total: false) + Self.values($0) },
            total: totals.labels(grouping, total: true) + Self.values(totals)
        )
    }

    /// The report laid out for people.
    public var document: ReportDocument {
        var facts: [(String, String)] = [
            ("Month", period.name), ("Time zone", period.zoneName),
            ("From", ReportPeriod.instantText(period.start, period.timeZone)),
            ("To (excluded)", ReportPeriod.instantText(period.end, period.timeZone)),
            ("Team", team ?? "all teams"),
            ("Price versions", versionList(\.priceVersion)), ("FX versions", versionList(\.fxVersion)),
        ]
        if !isEmpty {
            facts += [
                ("Paid", "¥\(totals.paidCNY.decimalString) for $\(totals.listUSD.decimalString) of list usage"),
                ("Baseline", "¥\(totals.baselineCNY.decimalString) buying directly"),
                (
                    "Saved",
                    "¥\(totals.savingsCNY.decimalString)" + (totals.savingsPercentNanos.map { " (\(NanoDecimal.format($0)) %)" } ?? "")
                        + ", ¥\(totals.annualisedSavingsCNY.decimalString) annualised over 12 months"
                ),
                ("Net paid after credits", "¥\(netPaidCNY.decimalString)"),
            ]
        }
        let notes =
            isEmpty
            ? ["No ledger entries in \(period.name) (\(period.zoneName))\(team.map { " for team '\($0)'" } ?? ""): nothing was spent or saved."] : []
        return ReportDocument(
            title: "Savings report \(period.name)",
            facts: facts,
            notes: notes,
            sections: [
                .init(title: "Usage and savings", table: table),
                .init(title: "Credits and corrections (signed: a credit is negative)", table: AdjustmentRow.table(adjustments)),
                .init(title: "Price and FX versions used", table: ReportTable(columns: VersionRow.columns, rows: versions.map(\.cells))),
            ],
            charts: [
                BarChart(
                    title: "Spend by team (paid CNY)",
                    bars: byTeam.map { .init(label: $0.team ?? "-", nanos: $0.paidCNY.nanos, text: "¥" + $0.paidCNY.decimalString) },
                    layout: .horizontal
                ),
                BarChart(
                    title: "Savings by model (CNY)",
                    bars: byModel.map { .init(label: $0.model ?? "-", nanos: $0.savingsCNY.nanos, text: "¥" + $0.savingsCNY.decimalString) },
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
        let table = self.table
        let adjustmentTotal = adjustments.reduce(into: UsageTotals()) { $0 += $1.totals }
        return .object([
            ("report", .string("savings")),
            ("period", PeriodJSON.value(period)),
            ("team", team.map(ReportJSONValue.string) ?? .null),
            ("group_by", .string(grouping.rawValue)),
            ("rows", table.jsonRows()),
            ("totals", .object(zip(Self.valueColumns, Self.values(totals)).map { ($0, $1.json) })),
            ("adjustments", ReportTable(columns: AdjustmentRow.columns, rows: adjustments.map(\.cells)).jsonRows()),
            (
                "adjustments_total",
                .object([
                    ("entries", .integer(adjustmentTotal.entries)), ("charge_usd", .string(adjustmentTotal.chargeUSD.decimalString)),
                    ("charge_cny", .string(adjustmentTotal.chargeCNY.decimalString)),
                ])
            ),
            ("net_paid_cny", .string(netPaidCNY.decimalString)),
            ("versions", ReportTable(columns: VersionRow.columns, rows: versions.map(\.cells)).jsonRows()),
            ("daily", ReportTable(columns: ["day"] + Self.valueColumns, rows: byDay.map { [.text($0.day ?? "")] + Self.values($0) }).jsonRows()),
        ])
    }

    /// The report in `format`.
    public func render(_ format: ReportFormat) -> String { document.render(format, json: json) }

    private func versionList(_ path: KeyPath<VersionRow, String>) -> String {
        var seen: [String] = []
        for version in versions where !seen.contains(version[keyPath: path]) { seen.append(version[keyPath: path]) }
        return seen.isEmpty ? "none" : seen.joined(separator: ", ")
    }
}

/// The `period` object shared by report JSON.
enum PeriodJSON {
    static func value(_ period: ReportPeriod) -> ReportJSONValue {
        .object([
            ("name", .string(period.name)), ("time_zone", .string(period.zoneName)),
            ("start", .string(ReportPeriod.instantText(period.start, period.timeZone))),
            ("end", .string(ReportPeriod.instantText(period.end, period.timeZone))),
        ])
    }
}
