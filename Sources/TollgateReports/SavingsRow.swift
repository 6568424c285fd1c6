import TollgateCore
import TollgateStorage

/// One line of a savings or usage report: a label (team, model or day) and the sums behind it,
/// with the savings derived from the stored paid and baseline amounts.
public struct SavingsRow: Sendable, Hashable {
    /// The team, when rows are per team.
    public var team: String?
    /// The model, when rows are per model.
    public var model: String?
    /// The date, when rows are per day.
    public var day: String?
    /// The key's prefix, when rows are per key (`-` for entries made without a key).
    public var key: String?
    /// Sums of the usage entries in the row.
    public var totals: UsageTotals

    /// Creates a row.
    public init(team: String? = nil, model: String? = nil, day: String? = nil, key: String? = nil, totals: UsageTotals = UsageTotals()) {
        self.team = team
        self.model = model
        self.day = day
        self.key = key
        self.totals = totals
    }

    /// Requests: the number of usage entries.
    public var requests: Int64 { totals.entries }
    /// Relay list USD.
    public var listUSD: Money { totals.chargeUSD }
    /// CNY paid through the relay (relay price book × relay FX).
    public var paidCNY: Money { totals.chargeCNY }
    /// Official list USD of the same usage.
    public var officialUSD: Money { totals.officialUSD }
    /// What buying directly would have cost (official price book × baseline FX).
    public var baselineCNY: Money { totals.baselineCNY }
    /// Baseline minus paid.
    public var savingsCNY: Money { baselineCNY - paidCNY }
    /// Savings as a percent of the baseline, half away from zero to 2 places, in nanos; `nil` without a baseline.
    public var savingsPercentNanos: Int64? { NanoDecimal.percent(savingsCNY.nanos, of: baselineCNY.nanos) }
    /// The month's savings over twelve months.
    public var annualisedSavingsCNY: Money { Money(nanos: savingsCNY.nanos * 12, .cny) }

    /// The row's label for the given grouping, `TOTAL` for a total line.
    func labels(_ grouping: ReportGrouping, total: Bool) -> [ReportCell] {
        let values: [String?] = grouping.labelColumns.map { column in
            switch column {
            case "team": team
            case "model": model
            case "key": key
            default: day
            }
        }
        return values.enumerated().map { index, value in
            total ? (index == 0 ? .text("TOTAL") : .empty) : value.map(ReportCell.text) ?? .empty
        }
    }

    /// Groups usage sums into rows, sorted by label; `teams` names team ids, `keys` key ids (by
    /// prefix), `days` labels windows.
    static func rows(
        _ sums: [UsageSum],
        by grouping: ReportGrouping,
        teams: [Int64: String],
        keys: [Int64: String] = [:],
        days: [String]
    ) -> [SavingsRow] {
        var rows: [[String]: SavingsRow] = [:]
        for sum in sums where sum.kind == .usage {
            let team = teams[sum.teamID] ?? "team #\(sum.teamID)"
            let model = sum.model?.rawValue ?? "-"
            let day = days.indices.contains(sum.window) ? days[sum.window] : "?"
            let row: SavingsRow
            switch grouping {
            case .teamModel: row = SavingsRow(team: team, model: model)
            case .team: row = SavingsRow(team: team)
            case .model: row = SavingsRow(model: model)
            case .day: row = SavingsRow(day: day)
            case .key: row = SavingsRow(team: team, key: sum.keyID.map { keys[$0] ?? "key #\($0)" } ?? "-")
            }
            let key = [row.team ?? "", row.model ?? "", row.day ?? "", row.key ?? ""]
            rows[key, default: row].totals += sum.totals
        }
        return rows.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value)
    }

    /// The sum of `rows` as one row.
    static func total(_ rows: [SavingsRow]) -> SavingsRow {
        SavingsRow(totals: rows.reduce(into: UsageTotals()) { $0 += $1.totals })
    }
}
