import Foundation
import TollgateCore
import TollgateStorage

/// Every team's budget now: spent, reserved, remaining, percent used, and where it is heading.
public struct BudgetReport: Sendable {
    /// One team's line.
    public struct Row: Sendable, Hashable {
        /// The team.
        public var team: Team
        /// Limit, spent, reserved and the current window.
        public var status: BudgetStatus
        /// Projection at the current rate.
        public var projection: BudgetProjection
    }

    /// The instant the numbers are taken at.
    public let now: Date
    /// One row per team, by name.
    public let rows: [Row]
    /// The note shown when there are no teams: the edge rendering the report says how to create one.
    public var noTeamsNote = "No teams yet."

    /// Builds the report from each team's current status.
    public init(statuses: [(team: Team, status: BudgetStatus)], now: Date) {
        self.now = now
        rows = statuses.sorted { $0.team.name < $1.team.name }
            .map { Row(team: $0.team, status: $0.status, projection: BudgetProjection($0.status, now: now)) }
    }

    static let columns = [
        "team", "currency", "period", "budget", "spent", "reserved", "remaining", "percent_used", "period_start",
        "period_end", "projected_spend", "projected_percent", "runs_out_at",
    ]

    static func cells(_ row: Row) -> [ReportCell] {
        let zone = row.team.budget.timeZone
        let status = row.status
        let total = row.team.budget.period == .total
        return [
            .text(row.team.name), .text(status.limit.currency.rawValue), .text(row.team.budget.period.rawValue),
            .amount(status.limit.decimalString), .amount(status.spent.decimalString), .amount(status.reserved.decimalString),
            .amount(status.remaining.decimalString), .amount(NanoDecimal.format(status.percentUsedNanos)),
            total ? .empty : .text(ReportPeriod.instantText(status.window.start, zone)),
            status.window.end.map { .text(ReportPeriod.instantText($0, zone)) } ?? .empty,
            row.projection.projectedSpend.map { .amount($0.decimalString) } ?? .empty,
            row.projection.projectedSpend.flatMap { NanoDecimal.percent($0.nanos, of: status.limit.nanos) }.map { .amount(NanoDecimal.format($0)) }
                ?? .empty,
            row.projection.runsOutAt.map { .text(ReportPeriod.instantText($0, zone)) } ?? .empty,
        ]
    }

    /// One line per team (budgets in different currencies have no meaningful total).
    public var table: ReportTable { ReportTable(columns: Self.columns, rows: rows.map(Self.cells)) }

    /// The report laid out for people.
    public var document: ReportDocument {
        ReportDocument(
            title: "Budgets at \(ReportPeriod.instantText(now, .gmt))",
            facts: [
                ("Teams", String(rows.count)),
                ("Projection", "spent ÷ time elapsed × period length; total budgets have none"),
                ("Runs out at", "when the budget is spent at the current rate, if before the period ends"),
            ],
            notes: rows.isEmpty ? [noTeamsNote] : [],
            sections: [.init(title: "Budgets", table: table)],
            charts: [
                BarChart(
                    title: "Percent of budget used",
                    bars: rows.map {
                        .init(label: $0.team.name, nanos: $0.status.percentUsedNanos, text: NanoDecimal.format($0.status.percentUsedNanos) + " %")
                    },
                    layout: .horizontal
                )
            ]
        )
    }

    /// The report as one JSON object.
    public var json: ReportJSONValue {
        .object([("report", .string("budgets")), ("at", .string(ReportPeriod.instantText(now, .gmt))), ("rows", table.jsonRows())])
    }

    /// The report in `format`.
    public func render(_ format: ReportFormat) -> String { document.render(format, json: json) }
}
