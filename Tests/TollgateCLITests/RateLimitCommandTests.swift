import Foundation
import Testing

@Suite("tollgate team|key set-limits")
struct RateLimitCommandTests {
    @Test("set-limits sets, keeps what is not given, removes with 0; key list shows a key's limits")
    func lifecycle() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "monthly"])
        #expect(try await cli.ok(["team", "set-limits", "research", "--rpm", "60", "--max-streams", "4"]).contains("60 requests/min, 4 streams"))
        #expect(try await cli.ok(["team", "set-limits", "research", "--tpm", "100000", "--rpm", "0"]).contains("100000 tokens/min, 4 streams"))
        let key = try await cli.ok(["key", "create", "--team", "research"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let prefix = String(key.prefix(12))
        #expect(try await cli.ok(["key", "set-limits", prefix, "--max-streams", "1"]).contains("1 streams"))
        let rows = try #require(try cli.json(try await cli.ok(["key", "list", "--format", "json"])) as? [[String: Any]])
        #expect(rows.first?["limits"] as? String == "1 streams")
    }

    @Test("set-limits errors: no flag, a negative limit, an unknown team or key")
    func errors() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "monthly"])
        let none = try await cli.run(["team", "set-limits", "research"])
        #expect(none.status != 0)
        #expect(none.stderr.contains("give at least one of --rpm, --tpm, --max-streams"))
        let negative = try await cli.run(["team", "set-limits", "research", "--rpm=-5"])
        #expect(negative.status != 0)
        #expect(negative.stderr.contains("--rpm must be 0 (no limit) or more"))
        let team = try await cli.run(["team", "set-limits", "ghost", "--rpm", "5"])
        #expect(team.stderr.contains("no team named 'ghost'"))
        let key = try await cli.run(["key", "set-limits", "tg_nothere", "--rpm", "5"])
        #expect(key.stderr.contains("no key with prefix"))
    }

    @Test("tollgate chat over its team's requests-per-minute limit exits 75 with rate_limited; nothing is charged for it")
    func chatRateLimited() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "t", "--budget", "1", "--currency", "CNY", "--period", "monthly"])
        _ = try await cli.ok(["team", "set-limits", "t", "--rpm", "1"])
        let environment = ["TOLLGATE_UPSTREAM_URL": ""]
        let first = try await cli.run(
            ["chat", "--team", "t", "--model", "deepseek-v3.2", "--max-tokens", "16", "Say hello"],
            environment: environment
        )
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let second = try await cli.run(
            ["chat", "--team", "t", "--model", "deepseek-v3.2", "--max-tokens", "16", "Say hello"],
            environment: environment
        )
        #expect(second.status == 75, "stderr: \(second.stderr)")
        #expect(second.stderr.contains("rate_limited"))
        #expect(second.stderr.contains("rate limit of 1 requests per minute"))
        #expect(second.stderr.contains("An admin can raise it with 'tollgate team set-limits'."), "stderr: \(second.stderr)")
        let entries = try #require(try cli.json(try await cli.ok(["ledger", "entries", "--format", "json"])) as? [[String: Any]])
        #expect(entries.count == 1)
    }
}
