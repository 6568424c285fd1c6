import Foundation
import TollgateCore
import TollgateStorage

@testable import TollgateReports

/// Hand-made sums for pure report tests: amounts in whole units are easy to check by hand.
enum ReportFixtures {
    static func money(_ text: String, _ currency: Currency) -> Money { try! Money(parsing: text, currency) }

    static func totals(
        requests: Int64,
        output: Int64 = 0,
        list: String,
        official: String? = nil,
        paid: String? = nil,
        baseline: String
    ) -> UsageTotals {
        var totals = UsageTotals()
        totals.entries = requests
        totals.outputTokens = output
        totals.chargeUSD = money(list, .usd)
        totals.officialUSD = money(official ?? list, .usd)
        totals.chargeCNY = money(paid ?? list, .cny)
        totals.baselineCNY = money(baseline, .cny)
        return totals
    }

    static func sum(
        day: Int,
        team: Int64,
        model: ModelID?,
        kind: LedgerEntry.Kind = .usage,
        versions: (String, String)? = ("p1", "fx1"),
        _ totals: UsageTotals
    ) -> UsageSum {
        UsageSum(
            window: day,
            teamID: team,
            model: model,
            kind: kind,
            priceVersion: kind == .usage ? versions?.0 : nil,
            fxVersion: versions?.1,
            totals: totals
        )
    }

    static let teams: [Int64: String] = [1: "research", 2: "platform"]

    static var november: ReportPeriod { try! ReportPeriod.month("2026-11", timeZone: .gmt) }

    /// The month of the worked check plus a second team, a second model, a version change and a credit.
    static var sums: [UsageSum] {
        [
            sum(day: 4, team: 1, model: "gpt-4.1", totals(requests: 1, output: 62_500_000, list: "500", baseline: "3650")),
            sum(
                day: 16,
                team: 1,
                model: "gpt-4.1",
                versions: ("p2", "fx1"),
                totals(requests: 1, output: 1_000_000, list: "9", official: "10", baseline: "73")
            ),
            sum(
                day: 20,
                team: 1,
                model: "gpt-4.1",
                versions: ("p2", "fx2"),
                totals(requests: 1, output: 1_000_000, list: "9", official: "10", baseline: "71")
            ),
            sum(day: 9, team: 2, model: "deepseek-v3.2", totals(requests: 1, output: 2_000_000, list: "0.994", baseline: "7.2562")),
            sum(day: 11, team: 1, model: nil, kind: .credit, totals(requests: 1, list: "-100", baseline: "0")),
        ]
    }
}
