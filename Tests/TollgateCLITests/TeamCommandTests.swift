import Foundation
import Testing

@Suite("tollgate team")
struct TeamCommandTests {
    @Test("create, list, show, set-budget, disable, enable")
    func lifecycle() async throws {
        let cli = try CLIRunner()
        let created = try await cli.ok([
            "team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "monthly", "--soft-limit", "80", "--on-exhausted",
            "clamp", "--tz", "Asia/Shanghai",
        ])
        #expect(created.contains("Created team 'research'"))
        _ = try await cli.ok(["team", "create", "ops", "--budget", "20.5", "--currency", "usd", "--period", "weekly"])

        let list = try #require(try cli.json(try await cli.ok(["team", "list", "--format", "json"])) as? [[String: Any]])
        #expect(list.map { $0["team"] as? String } == ["ops", "research"])
        #expect(list[1]["budget"] as? String == "500.00")
        #expect(list[1]["soft_limit_percent"] as? Int == 80)
        #expect(list[1]["on_exhausted"] as? String == "clamp")
        #expect(list[0]["currency"] as? String == "USD")

        let show = try await cli.ok(["team", "show", "research"])
        #expect(show.contains("spent               0.00"))
        #expect(show.contains("+08:00"))
        let record = try #require(try cli.json(try await cli.ok(["team", "show", "research", "--format", "json"])) as? [String: Any])
        #expect(record["remaining"] as? String == "500.00")
        #expect(record["resets_at"] is String)

        _ = try await cli.ok(["team", "set-budget", "research", "--budget", "800", "--period", "daily"])
        let csv = try await cli.ok(["team", "list", "--format", "csv"])
        #expect(csv.split(separator: "\r\n").count == 3)
        #expect(csv.contains("research,CNY,800.00,daily,clamp"))

        #expect(try await cli.ok(["team", "disable", "ops"]).contains("disabled"))
        #expect(try await cli.ok(["team", "show", "ops", "--format", "json"]).contains("\"disabled\": true"))
        _ = try await cli.ok(["team", "enable", "ops"])
        #expect(try await cli.ok(["team", "show", "ops", "--format", "json"]).contains("\"disabled\": false"))
    }

    @Test(
        "errors exit non-zero with a message and leave the ledger unchanged",
        arguments: [
            (["team", "create", "research", "--budget", "1", "--currency", "CNY", "--period", "monthly"], "already exists"),
            (["team", "create", "x", "--budget", "0", "--currency", "CNY", "--period", "monthly"], "above zero"),
            (["team", "create", "x", "--budget", "-3", "--currency", "CNY", "--period", "monthly"], "above zero"),
            (["team", "create", "x", "--budget", "ten", "--currency", "CNY", "--period", "monthly"], "not a decimal number"),
            (["team", "create", "x", "--budget", "10", "--currency", "EUR", "--period", "monthly"], "unknown currency 'EUR'"),
            (["team", "create", "x", "--budget", "10", "--currency", "CNY", "--period", "yearly"], "unknown period"),
            (["team", "create", "x", "--budget", "10", "--currency", "CNY", "--period", "monthly", "--on-exhausted", "pray"], "unknown policy"),
            (["team", "create", "x", "--budget", "10", "--currency", "CNY", "--period", "monthly", "--tz", "Mars/Olympus"], "unknown time zone"),
            (
                ["team", "create", "x", "--budget", "10", "--currency", "CNY", "--period", "monthly", "--hold", "p95"],
                "unknown hold policy 'p95': use one of worst-case, expected"
            ),
            (["team", "set-budget", "research", "--hold", "sometimes"], "unknown hold policy 'sometimes': use one of worst-case, expected"),
            (["team", "create", "x", "--budget", "10", "--currency", "CNY", "--period", "monthly", "--soft-limit", "120"], "1 to 100"),
            (["team", "create", "bad name", "--budget", "10", "--currency", "CNY", "--period", "monthly"], "not allowed"),
            (["team", "show", "ghost"], "no team named 'ghost'"),
            (["team", "set-budget", "ghost", "--budget", "5"], "no team named 'ghost'"),
            (["team", "set-budget", "research"], "nothing to change"),
            (["team", "set-budget", "research", "--currency", "USD"], "needs a new --budget"),
            (["team", "disable", "ghost"], "no team named"),
            (["team", "enable", "ghost"], "no team named"),
        ]
    )
    func errors(arguments: [String], message: String) async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "monthly"])
        let before = try await cli.ok(["team", "list", "--format", "json"])
        let result = try await cli.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "stderr was: \(result.stderr)")
        #expect(try await cli.ok(["team", "list", "--format", "json"]) == before)
    }
}
