import Foundation
import Testing

@Suite("tollgate key: per-key budgets")
struct KeyBudgetCommandTests {
    @Test("key create --budget, key list's budget column, key set-budget AMOUNT and none")
    func lifecycle() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "monthly"])
        let key = try await cli.ok(["key", "create", "--team", "research", "--budget", "20", "--period", "daily"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let prefix = String(key.prefix(12))
        let rows = try #require(try cli.json(try await cli.ok(["key", "list", "--format", "json"])) as? [[String: Any]])
        #expect(rows.first?["budget"] as? String == "20.00 CNY daily")
        #expect(try await cli.ok(["key", "set-budget", prefix, "35"]).contains("35.00 CNY per daily period"))
        #expect(try await cli.ok(["key", "set-budget", prefix, "none"]).contains("no budget of its own"))
        let after = try #require(try cli.json(try await cli.ok(["key", "list", "--format", "json"])) as? [[String: Any]])
        let budget = after.first.flatMap { $0["budget"] as? String }
        #expect(budget == nil || budget == "")
    }

    @Test("key budget errors: a bad amount creates no key, an unknown prefix, an unknown period")
    func errors() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "monthly"])
        let zero = try await cli.run(["key", "create", "--team", "research", "--budget", "0"])
        #expect(zero.status != 0)
        #expect(zero.stderr.contains("key budget must be above zero"))
        #expect(!(try await cli.ok(["key", "list"]).contains("research")))
        let unknown = try await cli.run(["key", "set-budget", "tg_nothere", "5"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no key with prefix"))
        let period = try await cli.run(["key", "create", "--team", "research", "--budget", "5", "--period", "hourly"])
        #expect(period.status != 0)
        #expect(period.stderr.contains("unknown period 'hourly'"))
    }
}
