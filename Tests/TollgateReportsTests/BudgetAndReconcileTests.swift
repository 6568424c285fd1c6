import Foundation
import Testing
import TollgateCore
import TollgateStorage

@testable import TollgateReports

@Suite("Budget and reconciliation reports")
struct BudgetAndReconcileTests {
    static func status(_ limit: String, spent: String, period: BudgetPeriod = .monthly) throws -> (Team, BudgetStatus) {
        let budget = try Budget(limit: Money(parsing: limit, .cny), period: period)
        let team = Team(id: 1, name: "research", budget: budget, disabled: false, createdAt: .distantPast)
        let window = budget.window(at: try Date("2026-11-16T00:00:00Z", strategy: .iso8601))
        return (
            team, BudgetStatus(limit: budget.limit, spent: try Money(parsing: spent, .cny), reserved: try Money(parsing: "7", .cny), window: window)
        )
    }

    static let halfway = try! Date("2026-11-16T00:00:00Z", strategy: .iso8601)

    @Test("projection = spent ÷ elapsed × period; the run-out date is when the limit is reached at that rate")
    func projection() throws {
        let (_, status) = try Self.status("1000", spent: "600")
        let projection = BudgetProjection(status, now: Self.halfway)
        #expect(projection.projectedSpend?.decimalString == "1200.00")
        #expect(projection.runsOutAt == (try Date("2026-11-26T00:00:00Z", strategy: .iso8601)))
        let slow = BudgetProjection(try Self.status("1000", spent: "400").1, now: Self.halfway)
        #expect(slow.projectedSpend?.decimalString == "800.00")
        #expect(slow.runsOutAt == nil)
        let spent = BudgetProjection(try Self.status("1000", spent: "1000").1, now: Self.halfway)
        #expect(spent.runsOutAt == Self.halfway)
        // One nano in the first 7 of 30 days projects 30/7 nanos, rounded up to 5: integer arithmetic, never Double.
        let tiny = BudgetProjection(try Self.status("1000", spent: "0.000000001").1, now: Self.halfway.addingTimeInterval(-86_400 * 8))
        #expect(tiny.projectedSpend?.nanos == 5)
    }

    @Test("total budgets have no projection; the report shows budgets, projection and percent per team")
    func report() throws {
        #expect(
            BudgetProjection(try Self.status("1000", spent: "600", period: .total).1, now: Self.halfway)
                == BudgetProjection(try Self.status("1", spent: "0", period: .total).1, now: Self.halfway)
        )
        #expect(BudgetProjection(try Self.status("1000", spent: "600", period: .total).1, now: Self.halfway).projectedSpend == nil)
        let report = BudgetReport(statuses: [try Self.status("1000", spent: "600")], now: Self.halfway)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any])
        let row = try #require((object["rows"] as? [[String: Any]])?.first)
        #expect(row["spent"] as? String == "600.00")
        #expect(row["reserved"] as? String == "7.00")
        #expect(row["remaining"] as? String == "400.00")
        #expect(row["percent_used"] as? String == "60.00")
        #expect(row["projected_spend"] as? String == "1200.00")
        #expect(row["projected_percent"] as? String == "120.00")
        #expect(row["runs_out_at"] as? String == "2026-11-26T00:00:00Z")
        #expect(report.render(.csv).hasPrefix("team,currency,period,budget,spent,reserved,remaining,percent_used,"))
    }

    @Test("reconcile compares local and upstream counts per model, with drift and percent")
    func reconcile() throws {
        var gpt = UsageTotals()
        gpt.entries = 4
        gpt.reconciledEntries = 3
        gpt.localInputTokens = 1_010
        gpt.upstreamInputTokens = 1_000
        gpt.localOutputTokens = 597
        gpt.upstreamOutputTokens = 600
        var unreconciled = UsageTotals()
        unreconciled.entries = 9
        let sums = [
            UsageSum(window: 0, teamID: 1, model: "gpt-4.1", kind: .usage, priceVersion: "p1", fxVersion: "fx1", totals: gpt),
            UsageSum(window: 0, teamID: 2, model: "gpt-4.1", kind: .usage, priceVersion: "p1", fxVersion: "fx1", totals: gpt),
            UsageSum(window: 0, teamID: 1, model: "deepseek-v3.2", kind: .usage, priceVersion: "p1", fxVersion: "fx1", totals: unreconciled),
        ]
        let report = ReconcileReport(period: ReportFixtures.november, sums: sums)
        #expect(report.rows.map(\.model) == ["gpt-4.1"])
        #expect(report.rows[0].inputDrift == 20 && report.rows[0].outputDrift == -6)
        let csv = report.render(.csv).components(separatedBy: "\r\n")
        #expect(csv[1] == "gpt-4.1,6,2020,2000,20,1.00,1194,1200,-6,-0.50")
        #expect(csv[2] == "TOTAL,6,2020,2000,20,1.00,1194,1200,-6,-0.50")
        #expect(ReconcileReport(period: ReportFixtures.november, sums: []).render(.table).contains("No entries to reconcile in 2026-11"))
    }

    @Test("reconcile shows the prompt drift per model: the admission count against upstream prompt_tokens, in a chart of its own")
    func promptDrift() throws {
        var deepseek = UsageTotals()
        deepseek.entries = 2
        deepseek.reconciledEntries = 2
        deepseek.localInputTokens = 1_445
        deepseek.upstreamInputTokens = 1_500
        let report = ReconcileReport(
            period: ReportFixtures.november,
            sums: [
                UsageSum(window: 0, teamID: 1, model: "deepseek-v3.2", kind: .usage, priceVersion: "p1", fxVersion: "fx1", totals: deepseek)
            ]
        )
        #expect(report.rows.map(\.inputDrift) == [-55])
        #expect(report.document.facts.contains { $0.0 == "Input" && $0.1.contains("prompt_tokens") })
        let prompt = try #require(report.document.charts.first { $0.title.hasPrefix("Prompt") })
        #expect(prompt.bars.map(\.label) == ["deepseek-v3.2"] && prompt.bars.map(\.text) == ["-55"] && prompt.bars.map(\.nanos) == [55])
        #expect(report.render(.html).contains("Prompt (input) drift by model"))
        #expect(report.render(.table).contains("-3.67"))
    }

    @Test("reconcile lists the upstream reports settlement judged, with overruns in the budget's currency")
    func usageChecks() throws {
        let valuation = Valuation(
            priceVersion: "p1",
            fxVersion: "fx1",
            relayUSD: ReportFixtures.money("16", .usd),
            officialUSD: ReportFixtures.money("16", .usd),
            paidCNY: ReportFixtures.money("16", .cny),
            baselineCNY: ReportFixtures.money("116.8", .cny)
        )
        let at = try Date("2026-11-05T10:00:00Z", strategy: .iso8601)
        let overrun = LedgerEntry.usage(
            teamID: 1,
            model: "gpt-4.1",
            usage: try TokenUsage(inputTokens: 20, outputTokens: 2_000_000),
            valuation: valuation,
            tokenSource: .upstream,
            outcome: "completed",
            occurredAt: at,
            recordedAt: at,
            localInputTokens: 20,
            localOutputTokens: 32
        ).checked(.overrun, overrunNanos: 15_990_000_000)
        let report = ReconcileReport(period: ReportFixtures.november, sums: [], checked: [overrun], teamNames: ReportFixtures.teams)
        let row = report.checkTable.rows.first?.map(\.plain)
        #expect(row == ["2026-11-05T10:00:00Z", "research", "gpt-4.1", "overrun", "2000000", "32", "15.99"])
        let table = report.render(.table)
        #expect(table.contains("1 judged upstream reports, 1 overruns"))
        #expect(table.contains("15.99"), "\(table)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any])
        #expect((object["usage_checks"] as? [[String: Any]])?.first?["check"] as? String == "overrun")
    }

    @Test("reconcile counts the requests the upstream refused or never got, per model and outcome")
    func upstreamRefusals() throws {
        let refused = [
            OutcomeCount(model: "deepseek-v3.2", outcome: "upstream_refused", entries: 2),
            OutcomeCount(model: "gpt-4.1", outcome: "upstream_refused", entries: 5),
            OutcomeCount(model: "gpt-4.1", outcome: "upstream_unreachable", entries: 1),
        ]
        let report = ReconcileReport(period: ReportFixtures.november, sums: [], refused: refused)
        #expect(
            report.refusedTable.rows.map { $0.map(\.plain) } == [
                ["deepseek-v3.2", "upstream_refused", "2"], ["gpt-4.1", "upstream_refused", "5"], ["gpt-4.1", "upstream_unreachable", "1"],
            ]
        )
        let table = report.render(.table)
        #expect(table.contains("8 requests refused or unreachable upstream, billed nothing"), "\(table)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any])
        let rows = try #require(object["upstream_refusals"] as? [[String: Any]])
        #expect(rows.count == 3)
        #expect(rows.first?["outcome"] as? String == "upstream_refused")
        #expect(!ReconcileReport(period: ReportFixtures.november, sums: []).render(.table).contains("refused"))
    }

    @Test("usage report: per day, totals equal rows, credits apart, net paid after credits")
    func usage() throws {
        let report = UsageReport(period: ReportFixtures.november, team: nil, grouping: .day, sums: ReportFixtures.sums, teams: ReportFixtures.teams)
        #expect(report.rows.map { $0.day ?? "" } == ["2026-11-05", "2026-11-10", "2026-11-17", "2026-11-21"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any])
        #expect((object["totals"] as? [String: Any])?["paid_cny"] as? String == "518.994")
        #expect(object["net_paid_cny"] as? String == "418.994")
        #expect((object["adjustments"] as? [[String: Any]])?.first?["charge_cny"] as? String == "-100.00")
    }

    @Test("usage and savings reports show cache-write tokens per lifetime beside the cached input, summed into TOTAL")
    func cacheWriteColumns() throws {
        var anthropic = ReportFixtures.totals(requests: 2, output: 40, list: "0.10", baseline: "0.73")
        anthropic.inputTokens = 3000
        anthropic.cachedInputTokens = 100
        anthropic.cacheWrite5mTokens = 1200
        anthropic.cacheWrite1hTokens = 700
        var plain = ReportFixtures.totals(requests: 1, output: 10, list: "0.01", baseline: "0.07")
        plain.inputTokens = 500
        let sums = [
            ReportFixtures.sum(day: 4, team: 1, model: "claude-sonnet-4.5", anthropic), ReportFixtures.sum(day: 4, team: 1, model: "gpt-4.1", plain),
        ]
        let usage = UsageReport(period: ReportFixtures.november, team: nil, grouping: .teamModel, sums: sums, teams: ReportFixtures.teams)
        let csv = usage.render(.csv).components(separatedBy: "\r\n")
        #expect(
            csv[0]
                == "team,model,requests,input_tokens,cached_input_tokens,cache_write_5m_tokens,cache_write_1h_tokens,output_tokens,reasoning_tokens,list_usd,paid_cny"
        )
        #expect(csv.contains { $0.hasPrefix("TOTAL,,3,3500,100,1200,700,50,0,") }, "\(csv)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(usage.render(.json).utf8)) as? [String: Any])
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["cache_write_5m_tokens"] as? Int == 1200 && totals["cache_write_1h_tokens"] as? Int == 700, "\(totals)")
        let savings = SavingsReport(period: ReportFixtures.november, team: nil, grouping: .teamModel, sums: sums, teams: ReportFixtures.teams)
        let savingsObject = try #require(try JSONSerialization.jsonObject(with: Data(savings.render(.json).utf8)) as? [String: Any])
        let savingsTotals = try #require(savingsObject["totals"] as? [String: Any])
        #expect(savingsTotals["cache_write_5m_tokens"] as? Int == 1200 && savingsTotals["cache_write_1h_tokens"] as? Int == 700, "\(savingsTotals)")
    }

    @Test("usage and savings reports show reasoning tokens beside the output they are part of, summed into TOTAL")
    func reasoningColumns() throws {
        var reasoner = ReportFixtures.totals(requests: 2, output: 400, list: "0.10", baseline: "0.73")
        reasoner.reasoningTokens = 310
        let plain = ReportFixtures.totals(requests: 1, output: 10, list: "0.01", baseline: "0.07")
        let sums = [
            ReportFixtures.sum(day: 4, team: 1, model: "deepseek-v3.2", reasoner), ReportFixtures.sum(day: 4, team: 1, model: "gpt-4.1", plain),
        ]
        let usage = UsageReport(period: ReportFixtures.november, team: nil, grouping: .teamModel, sums: sums, teams: ReportFixtures.teams)
        let csv = usage.render(.csv).components(separatedBy: "\r\n")
        #expect(csv.contains { $0.hasPrefix("TOTAL,,3,0,0,0,0,410,310,") }, "\(csv)")
        #expect(csv.contains { $0.contains(",deepseek-v3.2,2,0,0,0,0,400,310,") }, "\(csv)")
        #expect(usage.render(.table).contains("310"))
        let savings = SavingsReport(period: ReportFixtures.november, team: nil, grouping: .teamModel, sums: sums, teams: ReportFixtures.teams)
        let savingsObject = try #require(try JSONSerialization.jsonObject(with: Data(savings.render(.json).utf8)) as? [String: Any])
        let savingsTotals = try #require(savingsObject["totals"] as? [String: Any])
        #expect(savingsTotals["reasoning_tokens"] as? Int == 310 && savingsTotals["output_tokens"] as? Int == 410, "\(savingsTotals)")
    }
}
