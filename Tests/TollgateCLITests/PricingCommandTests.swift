import Foundation
import Testing

@Suite("tollgate pricing")
struct PricingCommandTests {
    @Test("list shows both books for the four seed models with exact decimal strings")
    func list() async throws {
        let cli = try CLIRunner()
        let rows = try #require(try cli.json(try await cli.ok(["pricing", "list", "--format", "json"])) as? [[String: Any]])
        #expect(rows.count == 8)
        let relayOutput = Dictionary(
            uniqueKeysWithValues: rows.filter { $0["book"] as? String == "relay" }.map { ($0["model"] as! String, $0["output"] as! String) }
        )
        #expect(relayOutput == ["gpt-4.1": "8.00", "claude-sonnet-4.5": "15.00", "gemini-2.5-flash": "2.50", "deepseek-v3.2": "0.42"])
        #expect(
            try await cli.ok(["pricing", "list", "--format", "csv"]).hasPrefix("model,book,input,cached_input,output,price_version,effective_from")
        )
    }

    @Test("show prints a model's prices and the FX in force; unknown models list the known ones")
    func show() async throws {
        let cli = try CLIRunner()
        let shown = try await cli.ok(["pricing", "show", "gpt-4.1", "--at", "2026-11-01"])
        #expect(shown.contains("max output tokens: 32768"))
        #expect(shown.contains("baseline ¥7.30 per $1"))
        let unknown = try await cli.run(["pricing", "show", "gpt-4"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("known models are claude-sonnet-4.5, deepseek-v3.2, gemini-2.5-flash, gpt-4.1"))
        let early = try await cli.run(["pricing", "list", "--at", "2020-01-01"])
        #expect(early.status != 0)
        #expect(early.stderr.contains("no price version is in force"))
    }

    @Test("check passes the built-in table and a copy of the repository folder")
    func checkValid() async throws {
        let cli = try CLIRunner()
        #expect(try await cli.ok(["pricing", "check"]).contains("OK — 4 models"))
        let repoPricing = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "pricing")
        #expect(try await cli.ok(["pricing", "check", repoPricing.path]).contains("OK"))
    }

    @Test("check fails listing each problem with file, line and field")
    func checkInvalid() async throws {
        let cli = try CLIRunner()
        _ = try cli.write("bad/models.json", #"{ "models": { "gpt-4.1": { "provider": "openai", "max_output_tokens": 10 } } }"#)
        _ = try cli.write(
            "bad/prices/v1.json",
            """
            {
              "version": "v1", "effective_from": "2026-01-01T00:00:00Z", "supersedes": null, "source": "t",
              "books": {
                "relay": { "gpt-4.1": { "input": "1", "output": "-2" } },
                "official": { "gpt-4": { "input": "1", "output": "2" } }
              }
            }
            """
        )
        let result = try await cli.run(["pricing", "check", cli.folder.appending(path: "bad").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("prices/v1.json:5: books.official.gpt-4: unknown model 'gpt-4'"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("no FX versions"))
        let missing = try await cli.run(["pricing", "check", "/nonexistent"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("does not exist"))
    }

    @Test("--pricing and TOLLGATE_PRICING_DIR replace the built-in table; an invalid one is refused")
    func override() async throws {
        let cli = try CLIRunner()
        _ = try cli.write("p/models.json", #"{ "models": { "gpt-4.1": { "provider": "openai", "max_output_tokens": 10 } } }"#)
        _ = try cli.write(
            "p/prices/v9.json",
            """
            { "version": "v9", "effective_from": "2026-01-01T00:00:00Z", "supersedes": null, "source": "t",
              "books": { "relay": { "gpt-4.1": { "input": "1", "output": "99" } }, "official": { "gpt-4.1": { "input": "1", "output": "99" } } } }
            """
        )
        _ = try cli.write(
            "p/fx/f.json",
            #"{ "version": "f", "effective_from": "2026-01-01T00:00:00Z", "source": "t", "cny_per_usd": { "relay": "1", "baseline": "7" } }"#
        )
        let folder = cli.folder.appending(path: "p").path
        #expect(try await cli.ok(["pricing", "list", "--pricing", folder]).contains("99.00"))
        let viaEnv = try await cli.run(["pricing", "list"], environment: ["TOLLGATE_PRICING_DIR": folder])
        #expect(viaEnv.stdout.contains("v9"))
        let broken = try await cli.run(["team", "list", "--pricing", cli.folder.appending(path: "nothing").path])
        #expect(broken.status != 0)
    }
}
