import Foundation
import Logging
import Testing
import TollgateLedger
import TollgateRelaySim

/// `serve --pricing DIR` reloads its folder on SIGHUP (and on change), refusing a bad folder.
@Suite("serve reloads its pricing folder without a restart")
struct PricingReloadServeTests {
    static let model = "sim-new-model"

    static func chat(port: Int, key: String, model: String) async throws -> String {
        let body =
            #"{"model":"\#(model)","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hello"}],"max_tokens":16}"#
        return try await Curl.run([
            "-sN", "http://127.0.0.1:\(port)/v1/chat/completions", "-H", "Authorization: Bearer \(key)", "-H", "Content-Type: application/json", "-d",
            body,
        ])
    }

    static func readiness(port: Int) async throws -> [String: Any] {
        let text = try await Curl.run(["-s", "http://127.0.0.1:\(port)/readyz"])
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Polls /readyz until `pricing.reload` satisfies `done` (SIGHUP is handled asynchronously).
    static func awaitReload(port: Int, _ done: ([String: Any]) -> Bool) async throws -> [String: Any] {
        var last: [String: Any] = [:]
        for _ in 0..<400 {
            last = try await readiness(port: port)["pricing"] as? [String: Any] ?? [:]
            if done(last) { return last }
            try await Task.sleep(for: .milliseconds(25))
        }
        return last
    }

    @Test("a bad folder is refused on SIGHUP and the old table serves; a model added by data is admitted and billed once the poll sees it")
    func reloadBySignal() async throws {
        let cli = try CLIRunner()
        let dir = cli.folder.appending(path: "p").path
        _ = try await cli.ok(["pricing", "init", dir])
        _ = try await cli.ok(["team", "create", "t", "--budget", "100", "--currency", "CNY", "--period", "monthly"])
        let key = try await cli.ok(["key", "create", "--team", "t"]).trimmingCharacters(in: .whitespacesAndNewlines)
        var quiet = Logger(label: "sim")
        quiet.logLevel = .warning
        var simulator = RelaySimulatorConfiguration(outputTokens: 8)
        simulator.models.append(Self.model)
        try await withRelaySimulator(configuration: simulator, logger: quiet) { simulatorPort in
            let serve = try ServeProcess(
                ["--pricing", dir, "--upstream", "ws://127.0.0.1:\(simulatorPort)/v1/ws/stream"],
                environment: ["TOLLGATE_DB": cli.db]
            )
            let port = try await serve.port()
            let before = try await Self.chat(port: port, key: key, model: Self.model)
            #expect(before.contains("unknown model"), "\(before)")
            #expect(try await Self.chat(port: port, key: key, model: "gpt-4.1").contains("[DONE]"))

            // A broken folder: refused on SIGHUP, visible in /readyz and the log, the old table serves.
            let models = dir + "/models.json"
            let good = try String(contentsOfFile: models, encoding: .utf8)
            try "{ \"models\": ".write(toFile: models, atomically: true, encoding: .utf8)
            kill(serve.process.processIdentifier, SIGHUP)
            let refused = try await Self.awaitReload(port: port) { ($0["reload"] as? String)?.hasPrefix("refused") == true }
            #expect((refused["reload"] as? String)?.contains("models.json: not valid JSON") == true, "\(refused)")
            #expect(refused["price_version"] as? String == "2025-10-01")
            #expect(try await Self.chat(port: port, key: key, model: "gpt-4.1").contains("[DONE]"))
            #expect(serve.errors.contains("pricing reload (SIGHUP) refused"))
            let metrics = try await Curl.run(["-s", "http://127.0.0.1:\(port)/metrics"])
            #expect(metrics.contains("tollgate_pricing_reload_failures_total 1"))

            // The model added by data alone (a catalog entry and a new price version), then SIGHUP.
            try good.write(toFile: models, atomically: true, encoding: .utf8)
            let litellm = try cli.write(
                "new.json",
                #"{ "\#(Self.model)": { "litellm_provider": "openai", "mode": "chat", "max_output_tokens": 4096, "input_cost_per_token": 1e-06, "output_cost_per_token": 4e-06 } }"#
            )
            _ = try await cli.ok(["pricing", "import", "litellm", litellm, "--models", Self.model, "--effective-from", "2026-01-01", "--dir", dir])
            // No signal this time: the folder is polled every 2 s.
            let reloaded = try await Self.awaitReload(port: port) { $0["price_version"] as? String == "2026-01-01" }
            #expect(reloaded["reload"] as? String == "ok", "\(reloaded)")
            #expect(reloaded["models"] as? Int == 5)
            let after = try await Self.chat(port: port, key: key, model: Self.model)
            #expect(after.contains("[DONE]"), "\(after)")
            let info = try await Curl.run(["-s", "http://127.0.0.1:\(port)/metrics"])
            #expect(info.contains(#"tollgate_pricing_version_info{price_version="2026-01-01",fx_version="fx-2025-10-01"} 1"#), "\(info)")
            #expect(info.contains(#"tollgate_pricing_version_info{price_version="2025-10-01",fx_version="fx-2025-10-01"} 0"#))
            #expect(try await serve.terminate() == 0)
        }
        let ledger = try SQLiteLedger(path: cli.db)
        let team = try await ledger.team(named: "t")
        let entries = try await ledger.entries(teamID: team.id, from: nil, to: nil, limit: 100)
        #expect(entries.map { $0.model?.rawValue } == ["gpt-4.1", "gpt-4.1", Self.model])
        #expect(entries.map(\.priceVersion) == ["2025-10-01", "2025-10-01", "2026-01-01"])
        let added = try #require(entries.last)
        // $1 in, $4 out per MTok, relay ¥1 = $1: the charge is exactly what the new version says.
        let expected = (Int64(added.usage.inputTokens) * 1_000_000_000 + Int64(added.usage.outputTokens) * 4_000_000_000 + 999_999) / 1_000_000
        #expect(added.chargeCNY.nanos == expected)
        #expect(added.usage.outputTokens > 0)
    }
}
