import Foundation
import Testing

@Suite("tollgate report")
struct ReportCommandTests {
    func json(_ cli: CLIRunner, _ arguments: [String]) async throws -> [String: Any] {
        try #require(try cli.json(try await cli.ok(arguments + ["--format", "json"])) as? [String: Any])
    }

    @Test("$500 of list usage: paid ¥500.00, baseline ¥3,650.00, saved ¥3,150.00 (86.30 %)")
    func workedCheck() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "research", "--budget", "5000", "--currency", "CNY", "--period", "monthly"])
        _ = try await cli.ok(
            ["ledger", "import", "-"],
            stdin: #"{"team":"research","model":"gpt-4.1","input_tokens":0,"output_tokens":62500000,"occurred_at":"2026-11-05T10:00:00Z"}"#
        )
        let totals = try #require(try await json(cli, ["report", "savings", "--month", "2026-11"])["totals"] as? [String: Any])
        #expect(totals["list_usd"] as? String == "500.00")
        #expect(totals["paid_cny"] as? String == "500.00")
        #expect(totals["baseline_cny"] as? String == "3650.00")
        #expect(totals["savings_cny"] as? String == "3150.00")
        #expect(totals["savings_percent"] as? String == "86.30")
        #expect(totals["annualised_savings_cny"] as? String == "37800.00")
    }

    @Test("golden month in UTC: price and FX changes mid-month, two teams and models, credits apart")
    func goldenUTC() async throws {
        let cli = try CLIRunner()
        _ = try await ReportGoldenLedger.build(cli)
        let report = try await json(cli, ["report", "savings", "--month", "2026-11"])
        let rows = try #require(report["rows"] as? [[String: Any]])
        #expect(rows.map { "\($0["team"]!)/\($0["model"]!)" } == ["platform/deepseek-v3.2", "research/deepseek-v3.2", "research/gpt-4.1"])
        let fields = [
            "requests", "output_tokens", "list_usd", "official_usd", "paid_cny", "baseline_cny", "savings_cny", "savings_percent",
            "annualised_savings_cny",
        ]
        func line(_ object: [String: Any]) -> String { fields.map { "\(object[$0]!)" }.joined(separator: " ") }
        #expect(line(rows[0]) == "1 2000000 0.994 0.994 0.994 7.2562 6.2622 86.30 75.1464")
        #expect(line(rows[1]) == "1 1000000 0.42 0.42 0.42 2.982 2.562 85.92 30.744")
        #expect(line(rows[2]) == "3 64500000 518.00 520.00 518.00 3794.00 3276.00 86.35 39312.00")
        #expect(line(try #require(report["totals"] as? [String: Any])) == "5 67500000 519.414 521.414 519.414 3804.2382 3284.8242 86.35 39417.8904")
        #expect(report["net_paid_cny"] as? String == "424.414")
        let adjustments = try #require(report["adjustments"] as? [[String: Any]])
        #expect(adjustments.map { "\($0["team"]!) \($0["kind"]!) \($0["charge_cny"]!)" } == ["platform correction 5.00", "research credit -100.00"])
        let versions = try #require(report["versions"] as? [[String: Any]])
        #expect(
            versions.map { "\($0["price_version"]!)/\($0["fx_version"]!) \($0["requests"]!) \($0["paid_cny"]!) \($0["baseline_cny"]!)" }
                == ["p1/fx1 2 500.994 3657.2562", "p2/fx1 1 9.00 73.00", "p2/fx2 2 9.42 73.982"]
        )
        let table = try await cli.ok(["report", "savings", "--month", "2026-11"])
        #expect(table.contains("Price versions:         p1, p2"))
        #expect(table.contains("FX versions:            fx1, fx2"))
        #expect(table.contains("Saved:                  ¥3284.8242 (86.35 %)"))
    }

    @Test("the month follows --tz: Asia/Shanghai takes Oct 31 20:00Z in and leaves Nov 30 18:00Z out")
    func goldenShanghai() async throws {
        let cli = try CLIRunner()
        _ = try await ReportGoldenLedger.build(cli)
        let report = try await json(cli, ["report", "savings", "--month", "2026-11", "--tz", "Asia/Shanghai", "--by", "team"])
        let rows = try #require(report["rows"] as? [[String: Any]])
        #expect(rows.map { "\($0["team"]!) \($0["paid_cny"]!) \($0["baseline_cny"]!)" } == ["platform 8.994 65.6562", "research 518.00 3794.00"])
        let totals = try #require(report["totals"] as? [String: Any])
        #expect(
            "\(totals["paid_cny"]!) \(totals["baseline_cny"]!) \(totals["savings_cny"]!) \(totals["savings_percent"]!)"
                == "526.994 3859.6562 3332.6622 86.35"
        )
        #expect((report["period"] as? [String: Any])?["start"] as? String == "2026-11-01T00:00:00+08:00")
        let daily = try #require(report["daily"] as? [[String: Any]])
        #expect(daily.first?["day"] as? String == "2026-11-01" && daily.first?["paid_cny"] as? String == "8.00")
    }

    @Test("--team and --by day narrow and regroup; totals stay equal to the row sums")
    func teamAndDay() async throws {
        let cli = try CLIRunner()
        _ = try await ReportGoldenLedger.build(cli)
        let report = try await json(cli, ["report", "savings", "--month", "2026-11", "--team", "research", "--by", "day"])
        let rows = try #require(report["rows"] as? [[String: Any]])
        #expect(rows.map { "\($0["day"]!) \($0["paid_cny"]!)" } == ["2026-11-05 500.00", "2026-11-17 9.00", "2026-11-21 9.00", "2026-11-30 0.42"])
        #expect((report["totals"] as? [String: Any])?["paid_cny"] as? String == "518.42")
        #expect(report["team"] as? String == "research")
        #expect((report["adjustments"] as? [Any])?.count == 1)
    }

    @Test("CSV parses into rows plus a TOTAL line; Markdown has the tables")
    func csvAndMarkdown() async throws {
        let cli = try CLIRunner()
        _ = try await ReportGoldenLedger.build(cli)
        let csv = try await cli.ok(["report", "savings", "--month", "2026-11", "--format", "csv"])
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
        #expect(lines.count == 5)
        #expect(lines.allSatisfy { $0.count == 16 })
        #expect(lines[4][0] == "TOTAL" && lines[4][11] == "519.414")
        let markdown = try await cli.ok(["report", "savings", "--month", "2026-11", "--format", "markdown"])
        #expect(markdown.hasPrefix("# Savings report 2026-11\n"))
        #expect(markdown.contains("## Credits and corrections"))
        #expect(markdown.contains("| p2 | fx2 | 2 |"))
    }

    @Test("usage over an unaligned range, budgets and reconcile run on the same ledger")
    func otherReports() async throws {
        let cli = try CLIRunner()
        _ = try await ReportGoldenLedger.build(cli)
        let usage = try await json(cli, ["report", "usage", "--from", "2026-11-05T09:59:59.500Z", "--to", "2026-11-17T10:00:00Z", "--by", "model"])
        let rows = try #require(usage["rows"] as? [[String: Any]])
        #expect(rows.map { "\($0["model"]!) \($0["requests"]!) \($0["paid_cny"]!)" } == ["deepseek-v3.2 1 0.994", "gpt-4.1 1 500.00"])
        // Per key: the imported entries carry no key, so each team's usage is one row under key "-".
        let month = ["--from", "2026-11-01", "--to", "2026-12-01"]
        let byTeam = try #require(try await json(cli, ["report", "usage"] + month + ["--by", "team"])["rows"] as? [[String: Any]])
        let byKey = try #require(try await json(cli, ["report", "usage"] + month + ["--by", "key"])["rows"] as? [[String: Any]])
        #expect(
            byKey.map { "\($0["team"]!) \($0["key"]!) \($0["requests"]!) \($0["paid_cny"]!)" }
                == byTeam.map { "\($0["team"]!) - \($0["requests"]!) \($0["paid_cny"]!)" }
        )
        #expect(!byKey.isEmpty)
        let budgets = try #require(try await json(cli, ["report", "budgets"])["rows"] as? [[String: Any]])
        #expect(budgets.map { $0["team"] as? String } == ["platform", "research"])
        #expect(budgets.allSatisfy { $0["projected_spend"] is String && $0["budget"] as? String == "10000.00" })
        let reconcile = try await json(cli, ["report", "reconcile", "--month", "2026-11"])
        #expect((reconcile["rows"] as? [Any])?.isEmpty == true)  // imports carry no local counts
        #expect(try await cli.ok(["report", "verify"]).contains("The rollup matches the ledger: 8 entries"))
    }

    @Test("an empty month is a report, not an error")
    func emptyMonth() async throws {
        let cli = try CLIRunner()
        _ = try await ReportGoldenLedger.build(cli)
        let result = try await cli.run(["report", "savings", "--month", "2027-02"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("No ledger entries in 2027-02 (UTC): nothing was spent or saved."))
        #expect(result.stderr.isEmpty)
    }

    @Test(
        "bad input is refused with what to type instead",
        arguments: [
            (["report", "savings", "--month", "2026-13"], "--month '2026-13' is not a month: write it as YYYY-MM"),
            (["report", "savings", "--month", "2026-11", "--team", "ghost"], "no team named 'ghost'"),
            (["report", "savings", "--month", "2026-11", "--tz", "Mars/Base"], "unknown time zone 'Mars/Base'"),
            (["report", "savings", "--month", "2026-11", "--by", "week"], "--by 'week' is not a grouping: use team, model, day, key or team-model"),
            (["report", "savings", "--month", "2026-11", "--format", "pdf"], "The value 'pdf' is invalid for '--format <format>'"),
            (["report", "usage", "--from", "2026-11-10", "--to", "2026-11-01"], "--from must be before --to"),
            (["report", "usage", "--from", "yesterday", "--to", "2026-11-01"], "--from 'yesterday' is not a date"),
            (["report", "reconcile", "--month", "11-2026"], "--month '11-2026' is not a month"),
            (["report", "verify", "--month", "2026-1"], "--month '2026-1' is not a month"),
            (
                ["report", "savings", "--month", "2026-11", "--output", "/nonexistent/dir/r.html"],
                "cannot write the report to '/nonexistent/dir/r.html'"
            ),
        ]
    )
    func errors(arguments: [String], message: String) async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "research", "--budget", "5", "--currency", "CNY", "--period", "monthly"])
        let result = try await cli.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }

    @Test("a report never creates a ledger: a missing file is a clear error")
    func missingLedger() async throws {
        let cli = try CLIRunner()
        for command in [["report", "savings", "--month", "2026-11"], ["report", "budgets"], ["report", "verify"]] {
            let result = try await cli.run(command)
            #expect(result.status == 1)
            #expect(result.stderr.contains("no ledger at '\(cli.db)': pass --db PATH or set TOLLGATE_DB"))
        }
        #expect(!FileManager.default.fileExists(atPath: cli.db))
    }

    @Test("verify fails loudly when the rollup was tampered with")
    func verifyDetectsTampering() async throws {
        let cli = try CLIRunner()
        _ = try await ReportGoldenLedger.build(cli)
        let db = cli.db
        let status = try await OffPool.run { () throws -> Int32 in
            let sqlite = Process()
            sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            sqlite.arguments = [
                "sqlite3", db, "UPDATE usage_rollups SET entries = entries + 1 WHERE bucket_start = (SELECT MIN(bucket_start) FROM usage_rollups)",
            ]
            try sqlite.run()
            sqlite.waitUntilExit()
            return sqlite.terminationStatus
        }
        try #require(status == 0, "sqlite3 is needed to tamper with the file")
        let result = try await cli.run(["report", "verify"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the rollup disagrees with the ledger entries in 1 place(s)"))
    }
}
