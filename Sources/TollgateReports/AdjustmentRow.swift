import TollgateCore
import TollgateStorage

/// Credits or corrections of one team and kind in a report's period, shown apart from usage.
public struct AdjustmentRow: Sendable, Hashable {
    /// The team credited or charged.
    public var team: String
    /// `credit` or `correction`.
    public var kind: LedgerEntry.Kind
    /// Signed sums: a credit's charge is negative.
    public var totals: UsageTotals

    static let columns = ["team", "kind", "entries", "charge_usd", "charge_cny"]

    var cells: [ReportCell] {
        [
            .text(team), .text(kind.rawValue), .integer(totals.entries), .amount(totals.chargeUSD.decimalString),
            .amount(totals.chargeCNY.decimalString),
        ]
    }

    static func rows(_ sums: [UsageSum], teams: [Int64: String]) -> [AdjustmentRow] {
        var rows: [[String]: AdjustmentRow] = [:]
        for sum in sums where sum.kind != .usage {
            let team = teams[sum.teamID] ?? "team #\(sum.teamID)"
            rows[[team, sum.kind.rawValue], default: AdjustmentRow(team: team, kind: sum.kind, totals: UsageTotals())].totals += sum.totals
        }
        return rows.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value)
    }

    static func table(_ rows: [AdjustmentRow]) -> ReportTable {
        let total = rows.reduce(into: UsageTotals()) { $0 += $1.totals }
        return ReportTable(
            columns: columns,
            rows: rows.map(\.cells),
            total: [.text("TOTAL"), .empty, .integer(total.entries), .amount(total.chargeUSD.decimalString), .amount(total.chargeCNY.decimalString)]
        )
    }
}
