import TollgateCore
import TollgateStorage

/// The monthly savings report: what the relay cost against buying directly, per team and model.
///
/// Built only from stored sums (each entry valued at the price and FX versions stamped on it), so
/// re-pricing never changes a past month. Pure: the store is read once by the caller.
public struct SavingsReport: Sendable {
    /// The month (or range) covered.
    public let period: ReportPeriod
    /// The one team reported on, or `nil` for all.
    public let team: String?
    /// What the rows are per.
    public let grouping: ReportGrouping
    /// Usage rows, sorted by label.
    public let rows: [SavingsRow]
    /// The sum of `rows`.
    public let totals: SavingsRow
    /// Credits and corrections, apart from usage.
    public let adjustments: [AdjustmentRow]
    /// Usage per price and FX version pair, showing which versions valued the period.
    public let versions: [VersionRow]
    /// Usage per team, per model and per day, for charts.
    public let byTeam: [SavingsRow], byModel: [SavingsRow], byDay: [SavingsRow]

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
        versions = VersionRow.rows(sums)
        byTeam = SavingsRow.rows(sums, by: .team, teams: teams, days: period.dayLabels)
        byModel = SavingsRow.rows(sums, by: .model, teams: teams, days: period.dayLabels)
        byDay = Self.everyDay(SavingsRow.rows(sums, by: .day, teams: teams, days: period.dayLabels), period.dayLabels)
    }

    /// Whether the period holds no entries at all.
    public var isEmpty: Bool { rows.isEmpty && adjustments.isEmpty }

    /// Paid CNY after credits and corrections.
    public var netPaidCNY: Money { adjustments.reduce(totals.paidCNY) { $0 + $1.totals.chargeCNY } }

    /// Every day of the period, zero where nothing happened, so a daily chart has no gaps.
    static func everyDay(_ rows: [SavingsRow], _ days: [String]) -> [SavingsRow] {
        let found = Dictionary(rows.map { ($0.day ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        return days.map { found[$0] ?? SavingsRow(day: $0) }
    }
}

/// Usage valued by one price version and one FX version.
public struct VersionRow: Sendable, Hashable {
    /// The price version stamped on the entries.
    public var priceVersion: String
    /// The FX version stamped on the entries.
    public var fxVersion: String
    /// Their sums.
    public var totals: UsageTotals

    static let columns = ["price_version", "fx_version", "requests", "list_usd", "official_usd", "paid_cny", "baseline_cny"]

    var cells: [ReportCell] {
        [
            .text(priceVersion), .text(fxVersion), .integer(totals.entries), .amount(totals.chargeUSD.decimalString),
            .amount(totals.officialUSD.decimalString), .amount(totals.chargeCNY.decimalString), .amount(totals.baselineCNY.decimalString),
        ]
    }

    static func rows(_ sums: [UsageSum]) -> [VersionRow] {
        var rows: [[String]: VersionRow] = [:]
        for sum in sums where sum.kind == .usage {
            let key = [sum.priceVersion ?? "-", sum.fxVersion ?? "-"]
            rows[key, default: VersionRow(priceVersion: key[0], fxVersion: key[1], totals: UsageTotals())].totals += sum.totals
        }
        return rows.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value)
    }
}
