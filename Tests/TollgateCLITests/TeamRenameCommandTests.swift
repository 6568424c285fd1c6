import Foundation
import Testing

@Suite("tollgate team rename")
struct TeamRenameCommandTests {
    @Test("SQLite: team show, key list and entries follow the new name; unknown, taken and invalid names are refused with the fix")
    func sqlite() async throws {
        try await Self.rename(on: CLIRunner(), environment: [:])
    }

    @Test(
        "PostgreSQL: team show, key list and entries follow the new name; unknown, taken and invalid names are refused with the fix",
        .enabled(if: CLIPostgres.server != nil, "no local PostgreSQL could start")
    )
    func postgres() async throws {
        let url = try #require(CLIPostgres.server).createDatabase()
        try await Self.rename(on: CLIRunner(), environment: ["TOLLGATE_DATABASE_URL": url])
    }

    static func rename(on cli: CLIRunner, environment env: [String: String]) async throws {
        func run(_ arguments: [String]) async throws -> CLIRunner.Result { try await cli.run(arguments, environment: env) }
        for team in ["research", "ops"] {
            #expect(try await run(["team", "create", team, "--budget", "500", "--currency", "CNY", "--period", "monthly"]).status == 0)
        }
        #expect(try await run(["key", "create", "--team", "research", "--label", "ci"]).status == 0)
        #expect(try await run(["ledger", "adjust", "--team", "research", "--amount", "-12.5", "--currency", "CNY", "--reason", "usage"]).status == 0)
        let before = try #require(try cli.json(try await run(["team", "show", "research", "--format", "json"]).stdout) as? [String: Any])

        let renamed = try await run(["team", "rename", "research", "platform"])
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(renamed.stdout.contains("Team 'research' is now 'platform'"))
        let after = try #require(try cli.json(try await run(["team", "show", "platform", "--format", "json"]).stdout) as? [String: Any])
        #expect(after["team"] as? String == "platform")
        for field in ["spent", "remaining", "budget", "currency", "period"] {
            #expect(after[field] as? String == before[field] as? String, "\(field)")
        }
        #expect(try await run(["key", "list", "--team", "platform"]).stdout.contains("ci"))
        let entries = try #require(
            try cli.json(try await run(["ledger", "entries", "--team", "platform", "--format", "json"]).stdout) as? [[String: Any]]
        )
        #expect(entries.map { $0["team"] as? String } == ["platform"])

        let unknown = try await run(["team", "rename", "research", "again"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no team named 'research': 'tollgate team list' shows the teams"), "\(unknown.stderr)")
        let taken = try await run(["team", "rename", "platform", "ops"])
        #expect(taken.status != 0)
        #expect(taken.stderr.contains("a team named 'ops' already exists"), "\(taken.stderr)")
        for bad in ["", "..", "has space"] {
            let refused = try await run(["team", "rename", "platform", bad])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("team name '\(bad)' is not allowed: use 1 to 64 letters"), "\(refused.stderr)")
        }
        let list = try #require(try cli.json(try await run(["team", "list", "--format", "json"]).stdout) as? [[String: Any]])
        #expect(list.map { $0["team"] as? String } == ["ops", "platform"])
    }
}
