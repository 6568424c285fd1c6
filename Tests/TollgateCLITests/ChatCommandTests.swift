import Foundation
import Testing

@testable import TollgateCLI

@Suite("tollgate chat")
struct ChatCommandTests {
    func run(_ cli: CLIRunner, _ arguments: [String]) async throws -> CLIRunner.Result {
        try await cli.run(["chat"] + arguments, environment: ["TOLLGATE_UPSTREAM_URL": ""])
    }

    @Test("streams text to stdout and the cost to stderr, charged to the team (built-in simulator upstream)")
    func streams() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "t", "--budget", "1", "--currency", "CNY", "--period", "monthly"])
        let result = try await run(cli, ["--team", "t", "--model", "deepseek-v3.2", "--max-tokens", "40", "Say hello"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(!result.stdout.isEmpty)
        #expect(result.stderr.contains("built-in relay simulator"))
        #expect(result.stderr.contains("charged"))
        let entries = try #require(try cli.json(try await cli.ok(["ledger", "entries", "--format", "json"])) as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["model"] as? String == "deepseek-v3.2")
    }

    @Test("a budget refusal exits 3 with which budget, what is left and when it resets; nothing is charged")
    func refused() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "t", "--budget", "0.00001", "--currency", "USD", "--period", "daily"])
        let result = try await run(cli, ["--team", "t", "--model", "gpt-4.1", "Say hello"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("budget_exceeded"))
        #expect(result.stderr.contains("daily budget of 0.00001 USD"))
        #expect(result.stderr.contains("resets at"))
        #expect(try await cli.ok(["ledger", "entries", "--format", "json"]) == "[]\n")
    }

    @Test("errors: unknown team, unknown model, disabled team, missing vocabularies")
    func errors() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "t", "--budget", "1", "--currency", "CNY", "--period", "monthly"])
        let unknownTeam = try await run(cli, ["--team", "ghost", "--model", "gpt-4.1", "hi"])
        #expect(unknownTeam.status == 1)
        #expect(unknownTeam.stderr.contains("no team named 'ghost'"))
        let unknownModel = try await run(cli, ["--team", "t", "--model", "gpt-5", "hi"])
        #expect(unknownModel.status == 1)
        #expect(unknownModel.stderr.contains("unknown model 'gpt-5'"))
        _ = try await cli.ok(["team", "disable", "t"])
        let disabled = try await run(cli, ["--team", "t", "--model", "gpt-4.1", "hi"])
        #expect(disabled.status == 1)
        #expect(disabled.stderr.contains("team_disabled"))
        _ = try await cli.ok(["team", "enable", "t"])
        let noVocabulary = try await cli.run(
            ["chat", "--team", "t", "--model", "gpt-4.1", "--tokenizer-dir", "/nonexistent", "hi"],
            environment: ["TOLLGATE_UPSTREAM_URL": ""]
        )
        #expect(noVocabulary.status == 1)
        #expect(noVocabulary.stderr.contains("--tokenizer-dir /nonexistent: no such folder"), "\(noVocabulary.stderr)")
        #expect(try await cli.ok(["ledger", "entries", "--format", "json"]) == "[]\n")
    }
}

@Suite("tollgate tokens")
struct TokensCommandTests {
    @Test("count from stdin, a file and JSON lines")
    func count() async throws {
        let cli = try CLIRunner()
        #expect(try await cli.ok(["tokens", "count", "--model", "gpt-4.1"], stdin: "gpt-4.1").trimmingCharacters(in: .whitespacesAndNewlines) == "6")
        let file = try cli.write("t.txt", "gpt-4.1")
        #expect(try await cli.ok(["tokens", "count", "--encoding", "cl100k_base", "--file", file]) == "6\n")
        let jsonl = try cli.write("t.jsonl", "{\"text\":\"gpt-4.1\"}\n\n{\"text\":\"\"}\n")
        #expect(try await cli.ok(["tokens", "count", "--model", "deepseek-v3.2", "--jsonl", jsonl]) == "6\n0\n")
    }

    @Test("errors name what is wrong")
    func errors() async throws {
        let cli = try CLIRunner()
        let both = try await cli.run(["tokens", "count", "--model", "gpt-4.1", "--encoding", "o200k_base"])
        #expect(both.status == 1)
        #expect(both.stderr.contains("exactly one of --model"))
        let unknown = try await cli.run(["tokens", "count", "--model", "gpt-5"], stdin: "gpt-4.1")
        #expect(unknown.status == 0, "an unregistered model is estimated: \(unknown.stderr)")
        #expect(unknown.stdout == "8\n", "6 o200k tokens × 5/4, rounded up")
        #expect(unknown.stderr.contains("the pricing catalog does not list 'gpt-5'") && unknown.stderr.contains("estimate"), "\(unknown.stderr)")
        let missing = try await cli.run(["tokens", "count", "--model", "gpt-4.1", "--tokenizer-dir", "/nonexistent"], stdin: "x")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("--tokenizer-dir /nonexistent: no such folder"), "\(missing.stderr)")
        #expect(missing.stderr.contains("o200k_base.tiktoken"))
    }
}

@Suite("tollgate demo")
struct DemoCommandTests {
    @Test("the tour streams through the gateway, cuts one team off mid-stream and ends with the savings report")
    func tour() async throws {
        let cli = try CLIRunner()
        let result = try await cli.run(["demo"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("-- research → gpt-4.1:"))
        #expect(result.stdout.contains("stopped: budget exhausted"))
        #expect(result.stdout.contains("Savings report"))
        #expect(result.stdout.contains("86.30"))
        #expect(!FileManager.default.fileExists(atPath: cli.db))
    }
}

@Suite("tollgate chat: model text on a terminal")
struct ChatTextTests {
    @Test("control characters the upstream sends are shown as escapes; lines, tabs and any script stay")
    func escapesControls() {
        #expect(ChatSession.printable("clear\u{1B}[2J and ring\u{07}") == #"clear\u{1B}[2J and ring\u{7}"#)
        #expect(ChatSession.printable("line one\n\tline two, 你好 👋") == "line one\n\tline two, 你好 👋")
        #expect(ChatSession.printable("\u{9B}31m") == #"\u{9B}31m"#)
    }
}
