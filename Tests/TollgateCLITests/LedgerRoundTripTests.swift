import Foundation
import Testing

/// `ledger entries --format json` → `ledger import` into another ledger: every exported column and
/// the usage and savings reports must read the same, cache writes and reasoning included.
@Suite("ledger export → import round trip")
struct LedgerRoundTripTests {
    @Test("SQLite: every exported column and the usage and savings reports survive a round trip; older files import as 0")
    func sqlite() async throws {
        try await Self.roundTrip(source: CLIRunner(), [:], target: CLIRunner(), [:])
    }

    @Test(
        "PostgreSQL: every exported column and the usage and savings reports survive a round trip; older files import as 0",
        .enabled(if: CLIPostgres.server != nil, "no local PostgreSQL could start")
    )
    func postgres() async throws {
        let server = try #require(CLIPostgres.server)
        let source = ["TOLLGATE_DATABASE_URL": try server.createDatabase()]
        let target = ["TOLLGATE_DATABASE_URL": try server.createDatabase()]
        try await Self.roundTrip(source: CLIRunner(), source, target: CLIRunner(), target)
    }

    @Test(
        "migrate-to-postgres carries cache writes and reasoning: its totals check sums them, and entries and reports read the same",
        .enabled(if: CLIPostgres.server != nil, "no local PostgreSQL could start")
    )
    func migrateCarriesTokenParts() async throws {
        let cli = try CLIRunner()
        for team in ["research", "ops"] {
            _ = try await cli.ok(["team", "create", team, "--budget", "5000", "--currency", "CNY", "--period", "monthly"])
        }
        _ = try await cli.ok(["ledger", "import", try cli.write("usage.jsonl", Self.usage)])
        let url = try #require(CLIPostgres.server).createDatabase()
        let copied = try await cli.run(["ledger", "migrate-to-postgres", "--db", cli.db, "--database-url", url])
        #expect(copied.status == 0 && copied.stdout.contains("every total matches"), "\(copied.stdout)\(copied.stderr)")
        for command in [["ledger", "entries", "--format", "json"]] + Self.reports {
            let fromPostgres = try await cli.run(command, environment: ["TOLLGATE_DATABASE_URL": url])
            #expect(fromPostgres.status == 0, "\(fromPostgres.stderr)")
            #expect(fromPostgres.stdout == (try await cli.ok(command)), "\(command) differs after the copy")
        }
    }

    static let usage = """
        {"team":"research","model":"claude-sonnet-4.5","input_tokens":1000000,"cached_input_tokens":300000,"cache_write_5m_tokens":200000,"cache_write_1h_tokens":100000,"output_tokens":2000,"occurred_at":"2026-11-03T10:00:00Z","request_id":"c1"}
        {"team":"research","model":"claude-sonnet-4.5","input_tokens":50000,"cache_write_1h_tokens":50000,"output_tokens":10,"occurred_at":"2026-11-04T10:00:00Z"}
        {"team":"research","model":"deepseek-v3.2","input_tokens":18,"output_tokens":219,"reasoning_tokens":205,"occurred_at":"2026-11-05T10:00:00Z","request_id":"d1"}
        {"team":"ops","model":"gpt-4.1","input_tokens":1200,"cached_input_tokens":200,"output_tokens":350,"occurred_at":"2026-11-06T10:00:00Z","request_id":"g1"}
        """

    static let reports = [
        ["report", "usage", "--from", "2026-11-01", "--to", "2026-12-01", "--format", "json"],
        ["report", "savings", "--month", "2026-11", "--format", "json"],
        ["report", "savings", "--month", "2026-11", "--by", "model", "--format", "csv"],
    ]

    static func roundTrip(source: CLIRunner, _ sourceEnv: [String: String], target: CLIRunner, _ targetEnv: [String: String]) async throws {
        for (cli, env) in [(source, sourceEnv), (target, targetEnv)] {
            for team in ["research", "ops"] {
                let created = try await cli.run(
                    ["team", "create", team, "--budget", "5000", "--currency", "CNY", "--period", "monthly"],
                    environment: env
                )
                #expect(created.status == 0, "\(created.stderr)")
            }
        }
        let imported = try await source.run(["ledger", "import", try source.write("usage.jsonl", usage)], environment: sourceEnv)
        #expect(imported.status == 0, "\(imported.stderr)")
        let exported = try await source.run(["ledger", "entries", "--format", "json"], environment: sourceEnv)
        let rows = try #require(try source.json(exported.stdout) as? [[String: Any]])
        #expect(rows.map { $0["cache_write_5m_tokens"] as? Int } == [200_000, 0, 0, 0])
        #expect(rows.map { $0["cache_write_1h_tokens"] as? Int } == [100_000, 50_000, 0, 0])
        #expect(rows.map { $0["reasoning_tokens"] as? Int } == [0, 0, 205, 0])

        // The export as it is: one JSON array.
        let reimported = try await target.run(["ledger", "import", try target.write("export.json", exported.stdout)], environment: targetEnv)
        #expect(reimported.status == 0, "\(reimported.stderr)")
        #expect(reimported.stdout == imported.stdout)
        let reexported = try await target.run(["ledger", "entries", "--format", "json"], environment: targetEnv)
        #expect(reexported.stdout == exported.stdout, "every exported column, ids included, reads the same after the round trip")
        for report in reports {
            let before = try await source.run(report, environment: sourceEnv)
            let after = try await target.run(report, environment: targetEnv)
            #expect(before.status == 0 && after.status == 0, "\(report): \(before.stderr)\(after.stderr)")
            #expect(after.stdout == before.stdout, "\(report) differs after the round trip")
        }
        let usageReport = try #require(try source.json(try await source.run(reports[0], environment: sourceEnv).stdout) as? [String: Any])
        let totals = try #require(usageReport["totals"] as? [String: Any], "\(usageReport.keys)")
        #expect(totals["cache_write_1h_tokens"] as? Int == 150_000, "\(totals)")

        // The same export again is refused whole (its request ids are in the ledger): nothing is billed twice.
        let again = try await target.run(["ledger", "import", try target.write("export.json", exported.stdout)], environment: targetEnv)
        #expect(again.status != 0)
        #expect(try await target.run(["ledger", "entries", "--format", "json"], environment: targetEnv).stdout == exported.stdout)

        // A file written before the cache-write and reasoning fields imports with them as 0.
        let older = """
            {"team":"ops","model":"claude-sonnet-4.5","input_tokens":1000,"output_tokens":100,"cached_input_tokens":0,"occurred_at":"2026-11-07T10:00:00Z","request_id":"old"}
            """
        let oldImport = try await target.run(["ledger", "import", try target.write("older.jsonl", older)], environment: targetEnv)
        #expect(oldImport.status == 0, "\(oldImport.stderr)")
        let listed = try await target.run(["ledger", "entries", "--team", "ops", "--format", "json"], environment: targetEnv)
        let old = try #require((try target.json(listed.stdout) as? [[String: Any]])?.last)
        #expect(old["request_id"] as? String == "old")
        #expect(old["cache_write_5m_tokens"] as? Int == 0 && old["cache_write_1h_tokens"] as? Int == 0 && old["reasoning_tokens"] as? Int == 0)
        #expect(old["charge_usd"] as? String == "0.0045", "1000 × $3 + 100 × $15 per million")
    }
}
