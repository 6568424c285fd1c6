import Foundation
import Testing

@Suite("tollgate key")
struct KeyCommandTests {
    @Test("create prints the key once on stdout; list shows prefixes only; revoke")
    func lifecycle() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "monthly"])
        let result = try await cli.run(["key", "create", "--team", "research", "--label", "laptop"])
        #expect(result.status == 0)
        let key = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("tg_") && key.count == 43)
        #expect(result.stderr.contains("won't be shown again"))

        let listing = try await cli.ok(["key", "list", "--team", "research"])
        let prefix = String(key.prefix(12))
        #expect(listing.contains(prefix))
        #expect(!listing.contains(key))
        let rows = try #require(try cli.json(try await cli.ok(["key", "list", "--format", "json"])) as? [[String: Any]])
        #expect(rows.first?["status"] as? String == "active")
        #expect(rows.first?["label"] as? String == "laptop")

        #expect(try await cli.ok(["key", "revoke", prefix]).contains("Revoked"))
        #expect(try await cli.ok(["key", "list", "--format", "csv"]).contains("revoked"))
        let again = try await cli.run(["key", "revoke", prefix])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already revoked"))
    }

    @Test("key errors: unknown team, unknown prefix")
    func errors() async throws {
        let cli = try CLIRunner()
        let unknownTeam = try await cli.run(["key", "create", "--team", "ghost"])
        #expect(unknownTeam.status != 0)
        #expect(unknownTeam.stderr.contains("no team named 'ghost'"))
        let unknownPrefix = try await cli.run(["key", "revoke", "tg_nothere"])
        #expect(unknownPrefix.status != 0)
        #expect(unknownPrefix.stderr.contains("no key with prefix"))
        let unknownFilter = try await cli.run(["key", "list", "--team", "ghost"])
        #expect(unknownFilter.status != 0)
    }
}
