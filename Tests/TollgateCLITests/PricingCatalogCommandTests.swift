import Foundation
import Testing

@Suite("tollgate pricing init, import litellm, export litellm and diff")
struct PricingCatalogCommandTests {
    static let excerpt = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Fixtures/litellm/model_prices_excerpt.json").path

    @Test("init copies the built-in table; import adds a checked version; the same import again changes nothing; diff shows it")
    func importFlow() async throws {
        let cli = try CLIRunner()
        let dir = cli.folder.appending(path: "p").path
        #expect(try await cli.ok(["pricing", "init", dir]).contains("the built-in table"))
        #expect(try await cli.ok(["pricing", "check", dir]).contains("OK — 4 models"))
        let wrote = try await cli.ok([
            "pricing", "import", "litellm", Self.excerpt, "--provider", "bedrock_converse", "--effective-from", "2026-12-01",
            "--dir", dir, "--relay-ratio", "0.85",
        ])
        #expect(wrote.contains("wrote prices/2026-12-01.json, models.json"), "\(wrote)")
        #expect(try await cli.ok(["pricing", "check", dir]).contains("OK — 8 models, 2 price versions"))
        let shown = try await cli.ok(["pricing", "show", "amazon.nova-2-pro-preview-20251202-v1:0", "--pricing", dir, "--at", "2026-12-02"])
        #expect(shown.contains("2.1875") && shown.contains("0.546875") && shown.contains("17.50") && shown.contains("14.875"), "\(shown)")
        let again = try await cli.ok([
            "pricing", "import", "litellm", Self.excerpt, "--provider", "bedrock_converse", "--effective-from", "2026-12-01",
            "--dir", dir, "--relay-ratio", "0.85",
        ])
        #expect(again.contains("unchanged"))
        // Other prices under the same version id: the importer's remedy, followed by the option that gives it.
        let other = try await cli.run([
            "pricing", "import", "litellm", Self.excerpt, "--provider", "bedrock_converse", "--effective-from", "2026-12-01",
            "--dir", dir, "--relay-ratio", "0.9",
        ])
        #expect(
            other.status != 0 && other.stderr.contains("a version is never edited once it may have priced usage; pass --version with a new id"),
            "\(other.stderr)"
        )
        let diff = try await cli.ok(["pricing", "diff", "2025-10-01", "2026-12-01", "--pricing", dir])
        #expect(diff.contains("+ relay amazon.nova-lite-v1:0: input 0.051, output 0.204"), "\(diff)")
        #expect(diff.contains("+ official amazon.nova-lite-v1:0: input 0.06, output 0.24"))
        #expect(!diff.contains("gpt-4.1"))
        // The shipped table's history is untouched: 2025 still prices as before.
        #expect(
            try await cli.ok(["pricing", "list", "--pricing", dir, "--at", "2026-01-01"])
                == (try await cli.ok(["pricing", "list", "--at", "2026-01-01"]))
        )
    }

    @Test("export writes LiteLLM's format with exact numbers, which imports back to the same prices")
    func exportRoundTrip() async throws {
        let cli = try CLIRunner()
        let exported = try await cli.ok(["pricing", "export", "litellm", "--at", "2026-01-01"])
        let json = try #require(try cli.json(exported) as? [String: [String: Any]])
        #expect(
            Set(json.keys) == [
                "gpt-4.1", "gpt-4.1-2025-04-14", "claude-sonnet-4.5", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "gemini-2.5-flash",
                "deepseek-v3.2",
            ]
        )
        #expect(exported.contains(#""cache_read_input_token_cost": 0.000000028"#))
        #expect(json["claude-sonnet-4.5"]?["cache_creation_input_token_cost"] != nil)
        #expect(exported.contains(#""cache_creation_input_token_cost": 0.00000375"#))
        #expect(exported.contains(#""cache_creation_input_token_cost_above_1hr": 0.000006"#))
        #expect(json["gpt-4.1"]?["max_input_tokens"] as? Int == 1_047_576)
        let file = try cli.write("exported.json", exported)
        let dir = cli.folder.appending(path: "p").path
        _ = try await cli.ok(["pricing", "init", dir])
        _ = try await cli.ok([
            "pricing", "import", "litellm", file, "--models", "gpt-4.1,deepseek-v3.2,gemini-2.5-flash,claude-sonnet-4.5", "--effective-from",
            "2026-12-01", "--dir", dir,
        ])
        #expect(try await cli.ok(["pricing", "diff", "2025-10-01", "2026-12-01", "--pricing", dir]).contains("no price changes"))
    }

    @Test("errors say what is wrong and what to do, and write nothing")
    func errors() async throws {
        let cli = try CLIRunner()
        let dir = cli.folder.appending(path: "p").path
        _ = try await cli.ok(["pricing", "init", dir])
        let before = try String(contentsOfFile: dir + "/models.json", encoding: .utf8)
        let builtIn = try await cli.run(["pricing", "import", "litellm", Self.excerpt, "--provider", "bedrock", "--effective-from", "2026-12-01"])
        #expect(builtIn.status != 0 && builtIn.stderr.contains("pricing init DIR"), "\(builtIn.stderr)")
        let provider = try await cli.run([
            "pricing", "import", "litellm", Self.excerpt, "--provider", "openai", "--effective-from", "2026-12-01", "--dir", dir,
        ])
        #expect(provider.status != 0 && provider.stderr.contains("unknown provider 'openai'"))
        let inexact = try cli.write(
            "inexact.json",
            #"{ "m": { "litellm_provider": "x", "mode": "chat", "max_tokens": 8, "input_cost_per_token": 1.5e-16, "output_cost_per_token": 1e-06 } }"#
        )
        let refused = try await cli.run(["pricing", "import", "litellm", inexact, "--models", "m", "--effective-from", "2026-12-01", "--dir", dir])
        #expect(
            refused.status != 0 && refused.stderr.contains("m.input_cost_per_token: 1.5e-16 USD per token is not a whole number of nanos"),
            "\(refused.stderr)"
        )
        // The importer's remedy, followed by the option that gives it.
        let unknown = try await cli.run(["pricing", "import", "litellm", inexact, "--models", "nope", "--effective-from", "2026-12-01", "--dir", dir])
        #expect(
            unknown.status != 0
                && unknown.stderr.contains(
                    "'nope' is not a chat model of this file: use the file's exact key (or --provider to take a provider's models)"
                ),
            "\(unknown.stderr)"
        )
        let both = try await cli.run(["pricing", "import", "litellm", Self.excerpt, "--effective-from", "2026-12-01", "--dir", dir])
        #expect(both.status != 0 && both.stderr.contains("exactly one of --models"))
        let format = try await cli.run(["pricing", "export", "openrouter"])
        #expect(format.status != 0 && format.stderr.contains("the only export format is litellm"))
        let ratio = try await cli.run([
            "pricing", "import", "litellm", Self.excerpt, "--provider", "bedrock", "--effective-from", "2026-12-01", "--dir", dir, "--relay-ratio",
            "cheap",
        ])
        #expect(ratio.status != 0 && ratio.stderr.contains("--relay-ratio 'cheap'"))
        let notEmpty = try await cli.run(["pricing", "init", dir])
        #expect(notEmpty.status != 0 && notEmpty.stderr.contains("is not empty"))
        let diff = try await cli.run(["pricing", "diff", "2025-10-01", "v9", "--pricing", dir])
        #expect(diff.status != 0 && diff.stderr.contains("no price version 'v9': the versions are 2025-10-01"))
        #expect(try String(contentsOfFile: dir + "/models.json", encoding: .utf8) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/prices") == ["2025-10-01.json"])
    }
}
