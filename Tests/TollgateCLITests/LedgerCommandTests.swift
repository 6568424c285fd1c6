import Foundation
import Testing

@Suite("tollgate ledger")
struct LedgerCommandTests {
    func cliWithTeam() async throws -> CLIRunner {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "total"])
        return cli
    }

    @Test("adjust credits and charges with a reason, visible in spend and entries")
    func adjust() async throws {
        let cli = try await cliWithTeam()
        #expect(
            try await cli.ok(["ledger", "adjust", "--team", "research", "--amount", "-120.5", "--currency", "CNY", "--reason", "manual"]).contains(
                "Charged"
            )
        )
        #expect(
            try await cli.ok(["ledger", "adjust", "--team", "research", "--amount", "20", "--currency", "USD", "--reason", "credit"]).contains(
                "Credited"
            )
        )
        let record = try #require(try cli.json(try await cli.ok(["team", "show", "research", "--format", "json"])) as? [String: Any])
        #expect(record["spent"] as? String == "100.50")
        let entries = try #require(try cli.json(try await cli.ok(["ledger", "entries", "--format", "json"])) as? [[String: Any]])
        #expect(entries.map { $0["reason"] as? String } == ["manual", "credit"])
        #expect(entries.map { $0["kind"] as? String } == ["correction", "credit"])
    }

    @Test(
        "adjust errors leave the ledger unchanged",
        arguments: [
            (["--team", "research", "--amount", "5", "--currency", "CNY", "--reason", " "], "reason is required"),
            (["--team", "research", "--amount", "0", "--currency", "CNY", "--reason", "x"], "must not be zero"),
            (["--team", "research", "--amount", "5x", "--currency", "CNY", "--reason", "x"], "not a decimal number"),
            (["--team", "research", "--amount", "5", "--currency", "JPY", "--reason", "x"], "unknown currency"),
            (["--team", "ghost", "--amount", "5", "--currency", "CNY", "--reason", "x"], "no team named"),
        ]
    )
    func adjustErrors(arguments: [String], message: String) async throws {
        let cli = try await cliWithTeam()
        let result = try await cli.run(["ledger", "adjust"] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
        #expect(try await cli.ok(["ledger", "entries", "--format", "json"]) == "[]\n")
    }

    @Test("import applies a good file, from a path or stdin")
    func importGood() async throws {
        let cli = try await cliWithTeam()
        let file = try cli.write(
            "usage.jsonl",
            """
            {"team":"research","model":"gpt-4.1","input_tokens":1000000,"output_tokens":1000000,"cached_input_tokens":0,"occurred_at":"2026-11-03T10:00:00Z"}
            {"team":"research","model":"claude-sonnet-4.5","input_tokens":0,"output_tokens":1000000,"cached_input_tokens":0,"occurred_at":"2026-11-04T10:00:00Z"}

            """
        )
        #expect(try await cli.ok(["ledger", "import", file]).contains("Imported 2 usage events: 25.00 USD list, 25.00 CNY paid"))
        let stdin = #"{"team":"research","model":"deepseek-v3.2","input_tokens":0,"output_tokens":1000000,"occurred_at":"2026-11-05T10:00:00Z"}"#
        #expect(try await cli.ok(["ledger", "import", "-"], stdin: stdin).contains("Imported 1"))
        let entries = try #require(
            try cli.json(try await cli.ok(["ledger", "entries", "--team", "research", "--from", "2026-11-04", "--format", "json"]))
                as? [[String: Any]]
        )
        #expect(entries.map { $0["model"] as? String } == ["claude-sonnet-4.5", "deepseek-v3.2"])
        #expect(entries.first?["price_version"] as? String == "2025-10-01")
        #expect(entries.first?["charge_usd"] as? String == "15.00")
    }

    @Test("a bad line is reported with its number and nothing from the file is applied")
    func importBad() async throws {
        let cli = try await cliWithTeam()
        let file = try cli.write(
            "bad.jsonl",
            """
            {"team":"research","model":"gpt-4.1","input_tokens":10,"output_tokens":10,"occurred_at":"2026-11-03T10:00:00Z"}
            {"team":"research","model":"gpt-5","input_tokens":10,"output_tokens":10,"occurred_at":"2026-11-03T10:00:00Z"}
            """
        )
        let result = try await cli.run(["ledger", "import", file])
        #expect(result.status != 0)
        #expect(result.stderr.contains("line 2: unknown model 'gpt-5'"))
        #expect(result.stderr.contains("nothing from this file was imported"))
        #expect(try await cli.ok(["ledger", "entries", "--format", "json"]) == "[]\n")
        let missing = try await cli.run(["ledger", "import", "/nonexistent/usage.jsonl"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read"))
    }

    @Test("import reads reasoning_tokens as ledger entries writes it; a count past the output is refused by line and nothing is lost")
    func importReasoning() async throws {
        try await Self.importReasoning(on: CLIRunner(), environment: [:])
    }

    /// Imports a line with reasoning and one without, reads them back from `ledger entries`, then
    /// refuses a file with a reasoning count past its output, keeping what was imported.
    static func importReasoning(on cli: CLIRunner, environment: [String: String]) async throws {
        let created = try await cli.run(
            ["team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "total"],
            environment: environment
        )
        #expect(created.status == 0, "\(created.stderr)")
        let good = try cli.write(
            "reasoning.jsonl",
            """
            {"team":"research","model":"deepseek-v3.2","input_tokens":18,"output_tokens":219,"reasoning_tokens":205,"occurred_at":"2026-11-03T10:00:00Z"}
            {"team":"research","model":"deepseek-v3.2","input_tokens":18,"output_tokens":219,"occurred_at":"2026-11-03T11:00:00Z"}
            """
        )
        let imported = try await cli.run(["ledger", "import", good], environment: environment)
        #expect(imported.status == 0 && imported.stdout.contains("Imported 2"), "\(imported.stderr)")
        let listed = try await cli.run(["ledger", "entries", "--format", "json"], environment: environment)
        let entries = try #require(try cli.json(listed.stdout) as? [[String: Any]])
        #expect(entries.map { $0["reasoning_tokens"] as? Int } == [205, 0])
        #expect(entries.map { $0["output_tokens"] as? Int } == [219, 219])

        let bad = try cli.write(
            "too-much-reasoning.jsonl",
            """
            {"team":"research","model":"deepseek-v3.2","input_tokens":18,"output_tokens":219,"reasoning_tokens":100,"occurred_at":"2026-11-04T10:00:00Z"}
            {"team":"research","model":"deepseek-v3.2","input_tokens":18,"output_tokens":219,"reasoning_tokens":220,"occurred_at":"2026-11-04T10:00:00Z"}
            """
        )
        let refused = try await cli.run(["ledger", "import", bad], environment: environment)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("line 2: reasoning_tokens (220) must be between 0 and output_tokens (219)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("nothing from this file was imported"))
        let after = try await cli.run(["ledger", "entries", "--format", "json"], environment: environment)
        #expect(after.stdout == listed.stdout, "the earlier import is intact and nothing of the bad file was written")
    }

    @Test("entries rejects a malformed date")
    func entriesBadDate() async throws {
        let cli = try await cliWithTeam()
        let result = try await cli.run(["ledger", "entries", "--from", "last tuesday"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--from 'last tuesday' is not a date"))
    }

    @Test("the default ledger path is ./.tollgate/ledger.sqlite, and --db overrides TOLLGATE_DB")
    func ledgerPath() async throws {
        let cli = try CLIRunner()
        let viaFlag = cli.folder.appending(path: "other/flag.sqlite").path
        _ = try await cli.run(["team", "create", "a", "--budget", "1", "--currency", "CNY", "--period", "daily", "--db", viaFlag])
        #expect(FileManager.default.fileExists(atPath: viaFlag))
        #expect(!FileManager.default.fileExists(atPath: cli.db))
        let defaulted = try await cli.run(["team", "list"], environment: ["TOLLGATE_DB": ""])
        #expect(defaulted.status == 0)
        #expect(FileManager.default.fileExists(atPath: cli.folder.appending(path: ".tollgate/ledger.sqlite").path))
    }
}
