import Foundation
import Testing
import TollgateCore
import TollgateStorage

@testable import TollgateReports

@Suite("Savings report")
struct SavingsReportTests {
    @Test("worked check: $500 of list usage pays ¥500.00 against ¥3,650.00, saving ¥3,150.00 (86.30 %)")
    func workedCheck() {
        let row = SavingsRow(totals: ReportFixtures.totals(requests: 1, list: "500", baseline: "3650"))
        #expect(row.paidCNY.decimalString == "500.00")
        #expect(row.baselineCNY.decimalString == "3650.00")
        #expect(row.savingsCNY.decimalString == "3150.00")
        #expect(row.savingsPercentNanos.map { NanoDecimal.format($0) } == "86.30")
        #expect(row.annualisedSavingsCNY.decimalString == "37800.00")
    }

    @Test(
        "percent is the exact ratio rounded half away from zero to 2 places",
        arguments: [
            (Int64(1), Int64(8), "12.50"), (1, 3, "33.33"), (2, 3, "66.67"), (1, 800, "0.13"), (-1, 800, "-0.13"),
            (1, 1_000_000, "0.00"), (3150, 3650, "86.30"), (2562, 2982, "85.92"), (-5, 4, "-125.00"),
        ]
    )
    func percent(part: Int64, whole: Int64, expected: String) {
        #expect(NanoDecimal.percent(part, of: whole).map { NanoDecimal.format($0) } == expected)
    }

    @Test("no baseline means no percent, not a division by zero")
    func zeroBaseline() {
        #expect(NanoDecimal.percent(5, of: 0) == nil)
        #expect(SavingsRow().savingsPercentNanos == nil)
    }

    @Test("rows per team and model, totals equal the row sums to the last nano, versions and credits apart")
    func rowsAndTotals() {
        let report = SavingsReport(
            period: ReportFixtures.november,
            team: nil,
            grouping: .teamModel,
            sums: ReportFixtures.sums,
            teams: ReportFixtures.teams
        )
        #expect(report.rows.map { [$0.team, $0.model] } == [["platform", "deepseek-v3.2"], ["research", "gpt-4.1"]])
        let research = report.rows[1]
        #expect(research.requests == 3)
        #expect(research.listUSD.decimalString == "518.00")
        #expect(research.officialUSD.decimalString == "520.00")
        #expect(research.baselineCNY.decimalString == "3794.00")
        #expect(research.savingsCNY.decimalString == "3276.00")
        #expect(report.totals.paidCNY.decimalString == "518.994")
        #expect(report.totals.savingsCNY.decimalString == "3282.2622")
        #expect(report.netPaidCNY.decimalString == "418.994")
        #expect(report.versions.map { "\($0.priceVersion)/\($0.fxVersion):\($0.totals.entries)" } == ["p1/fx1:2", "p2/fx1:1", "p2/fx2:1"])
        #expect(report.adjustments.map(\.team) == ["research"])
        for grouping in ReportGrouping.allCases {
            let grouped = SavingsReport(
                period: ReportFixtures.november,
                team: nil,
                grouping: grouping,
                sums: ReportFixtures.sums,
                teams: ReportFixtures.teams
            )
            #expect(grouped.totals.totals == report.totals.totals, "grouping \(grouping)")
            #expect(grouped.rows.reduce(UsageTotals()) { $0 + $1.totals } == grouped.totals.totals)
        }
        #expect(report.byDay.count == 30)
        #expect(report.byDay[4].paidCNY.decimalString == "500.00")
    }

    @Test("JSON parses, keeps amounts as exact strings, and its totals equal its rows")
    func json() throws {
        let report = SavingsReport(
            period: ReportFixtures.november,
            team: nil,
            grouping: .teamModel,
            sums: ReportFixtures.sums,
            teams: ReportFixtures.teams
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["savings_cny"] as? String == "3282.2622")
        #expect(totals["savings_percent"] as? String == "86.35")
        #expect(rows.first?["team"] as? String == "platform")
        for field in ["list_usd", "paid_cny", "baseline_cny", "savings_cny", "annualised_savings_cny"] {
            let sum = rows.map { NanoDecimal.parseOrZero($0[field] as? String) }.reduce(0, +)
            #expect(sum == NanoDecimal.parseOrZero(totals[field] as? String), "\(field)")
        }
        #expect((object["period"] as? [String: Any])?["start"] as? String == "2026-11-01T00:00:00Z")
        #expect((object["versions"] as? [[String: Any]])?.count == 3)
        #expect(object["net_paid_cny"] as? String == "418.994")
        #expect((object["daily"] as? [Any])?.count == 30)
    }

    @Test("CSV is RFC 4180 with a TOTAL line; table and Markdown carry the same numbers")
    func textFormats() {
        let report = SavingsReport(
            period: ReportFixtures.november,
            team: nil,
            grouping: .team,
            sums: ReportFixtures.sums,
            teams: ReportFixtures.teams
        )
        let csv = report.render(.csv)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(
            lines[0]
                == "team,requests,input_tokens,cached_input_tokens,cache_write_5m_tokens,cache_write_1h_tokens,output_tokens,reasoning_tokens,list_usd,official_usd,paid_cny,baseline_cny,savings_cny,savings_percent,annualised_savings_cny"
        )
        #expect(lines[3] == "TOTAL,4,0,0,0,0,66500000,0,518.994,520.994,518.994,3801.2562,3282.2622,86.35,39387.1464")
        #expect(lines.count == 5 && lines[4].isEmpty)
        let table = report.render(.table)
        #expect(table.contains("Price versions:         p1, p2"))
        #expect(table.contains("Credits and corrections"))
        #expect(table.contains("3282.2622"))
        let markdown = report.render(.markdown)
        #expect(markdown.contains("| TEAM | REQUESTS |"))
        #expect(markdown.contains("|:---|---:|"))
        #expect(markdown.contains("| **TOTAL** | **4** |"))
    }

    @Test("an empty month is a report that says so, not an error")
    func empty() throws {
        let report = SavingsReport(period: ReportFixtures.november, team: "research", grouping: .teamModel, sums: [], teams: ReportFixtures.teams)
        #expect(report.isEmpty)
        #expect(report.render(.table).contains("No ledger entries in 2026-11 (UTC) for team 'research'"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any])
        #expect((object["rows"] as? [Any])?.isEmpty == true)
        #expect((object["totals"] as? [String: Any])?["paid_cny"] as? String == "0.00")
        #expect((object["totals"] as? [String: Any])?["savings_percent"] is NSNull)
    }
}

extension NanoDecimal {
    static func parseOrZero(_ text: String?) -> Int64 { text.flatMap { try? parse($0) } ?? 0 }
}
