import Foundation
import Testing

@Suite("tollgate team: hold policy")
struct TeamHoldCommandTests {
    @Test("create --hold expected, set-budget --hold, and show/list carry it; the default is worst-case")
    func hold() async throws {
        let cli = try CLIRunner()
        let created = try await cli.ok([
            "team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "monthly", "--hold", "expected",
        ])
        #expect(created.contains("hold: expected"), "\(created)")
        _ = try await cli.ok(["team", "create", "ops", "--budget", "20", "--currency", "USD", "--period", "weekly"])

        let list = try #require(try cli.json(try await cli.ok(["team", "list", "--format", "json"])) as? [[String: Any]])
        #expect(list.map { $0["hold"] as? String } == ["worst-case", "expected"])
        let show = try await cli.ok(["team", "show", "research"])
        #expect(show.contains("hold") && show.contains("expected"), "\(show)")

        let changed = try await cli.ok(["team", "set-budget", "research", "--hold", "worst-case"])
        #expect(changed.contains("hold: worst-case"), "\(changed)")
        let record = try #require(try cli.json(try await cli.ok(["team", "show", "research", "--format", "json"])) as? [String: Any])
        #expect(record["hold"] as? String == "worst-case")
        #expect(record["budget"] as? String == "500.00")
        let csv = try await cli.ok(["team", "list", "--format", "csv"])
        #expect(csv.hasPrefix("team,currency,budget,period,on_exhausted,hold,"), "\(csv)")
    }
}
