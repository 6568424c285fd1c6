import Foundation
import Testing
import TollgateCore

@testable import TollgateCLI

@Suite("tollgate team set-alerts and alerts")
struct TeamAlertsCommandTests {
    @Test("set-alerts overrides, turns off and resets a team's thresholds; alerts shows them")
    func setAndShow() async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "monthly", "--soft-limit", "90"])
        #expect(
            try await cli.ok(["team", "alerts", "research"]).hasPrefix("Team 'research' alerts at 50,80,90,100,exhausted,overrun (the defaults).")
        )
        #expect(
            try await cli.ok(["team", "set-alerts", "research", "--thresholds", "75, 120,exhausted"])
                == "Team 'research' alerts at 75,120,exhausted.\n"
        )
        #expect(try await cli.ok(["team", "alerts", "research"]).hasPrefix("Team 'research' alerts at 75,120,exhausted."))
        #expect(try await cli.ok(["team", "set-alerts", "research", "--thresholds", "none"]) == "Team 'research' alerts at none.\n")
        #expect(try await cli.ok(["team", "set-alerts", "research", "--defaults"]).contains("50,80,90,100,exhausted,overrun (the defaults)"))
        #expect(try await cli.ok(["team", "alerts", "research", "--format", "json"]).trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test(
        "bad set-alerts input exits non-zero saying what to type",
        arguments: [
            (["team", "set-alerts", "research", "--thresholds", "0,50"], "use a whole percent from 1 to 1000"),
            (["team", "set-alerts", "research"], "give either --thresholds"),
            (["team", "set-alerts", "research", "--thresholds", "50", "--defaults"], "give either --thresholds"),
            (["team", "set-alerts", "nobody", "--thresholds", "50"], "no team named 'nobody'"),
        ]
    )
    func errors(arguments: [String], message: String) async throws {
        let cli = try CLIRunner()
        _ = try await cli.ok(["team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "monthly"])
        let result = try await cli.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }

    @Test("serve takes alert webhooks from flags or TOLLGATE_ALERT_WEBHOOKS and refuses non-http URLs")
    func serveWebhookSettings() throws {
        let environment = ["TOLLGATE_ALERT_WEBHOOKS": "https://hooks.example.com/a, http://127.0.0.1:9000/b", "TOLLGATE_ALERT_SECRET": "s"]
        let fromEnvironment = try ServeSettings(host: nil, port: nil, graceSeconds: nil, environment: environment)
        #expect(fromEnvironment.alertWebhooks == ["https://hooks.example.com/a", "http://127.0.0.1:9000/b"])
        #expect(fromEnvironment.alertSecret == "s")
        let fromFlags = try ServeSettings(host: nil, port: nil, graceSeconds: nil, alertWebhooks: ["http://x.test/h"], environment: environment)
        #expect(fromFlags.alertWebhooks == ["http://x.test/h"])
        let error = #expect(throws: BudgetError.self) {
            try ServeSettings(host: nil, port: nil, graceSeconds: nil, environment: ["TOLLGATE_ALERT_WEBHOOKS": "hooks.example.com"])
        }
        #expect(error?.description.contains("is not an http(s) URL") == true)
    }
}
