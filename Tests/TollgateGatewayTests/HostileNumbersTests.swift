import Foundation
import Testing
import TollgateAdmin
import TollgateCore
import TollgateGateway
import TollgateRelaySim

@Suite("Gateway: hostile usage numbers and overflowing ledgers")
struct HostileNumbersTests {
    @Test(
        "an upstream reporting completion_tokens 2^62 or -5 doesn't take the gateway down: billed on the local count, next request served",
        arguments: [1 << 62, -5]
    )
    func absurdUsage(reported: Int) async throws {
        let simulator = RelaySimulatorConfiguration(faults: .init(reportedOutputTokens: reported))
        try await GatewayHarness.run(simulator: simulator) { harness in
            for stream in [false, true] {
                let exchange = try await harness.chat(key: harness.alphaKey, stream: stream, includeUsage: stream)
                #expect(exchange.status == 200, "\(exchange.body)")
            }
            let entries = try await harness.entries(team: "alpha")
            #expect(entries.count == 2)
            for entry in entries {
                #expect(entry.usageCheck == .invalid)
                #expect(entry.usage.outputTokens == entry.localOutputTokens)
                #expect(entry.tokenSource == .tokenizer)
            }
            #expect(try await harness.ledger.openReservations(teamID: nil).isEmpty)
            #expect(try await harness.chat(key: harness.betaKey).status == 200)
            #expect(try await harness.send(.GET, "/healthz", key: nil).status == 200)
        }
    }

    @Test("the admin API refuses a 9,000,000,000 adjustment with the bound; nothing is written")
    func hugeAdjustment() async throws {
        try await GatewayHarness.run { harness in
            for _ in 0..<2 {
                let refused = try await harness.send(
                    .POST,
                    "/admin/teams/alpha/adjustments",
                    key: GatewayHarness.adminToken,
                    json: #"{"amount":"9000000000","reason":"typo"}"#
                )
                #expect(refused.status == 400, "\(refused.body)")
                #expect(refused.errorMessage.contains("at most 1000000000"), "\(refused.body)")
            }
            #expect(try await harness.entries(team: "alpha").isEmpty)
            #expect(try await harness.send(.GET, "/admin/teams", key: GatewayHarness.adminToken).status == 200)
        }
    }

    @Test("a team whose ledger already overflows gets 409 ledger_overflow; other teams, /admin/teams and /dashboard keep working")
    func overflowingTeam() async throws {
        try await GatewayHarness.run { harness in
            try await harness.overflowLedger(ofTeam: "alpha")
            let refused = try await harness.chat(key: harness.alphaKey)
            #expect(refused.status == 409, "\(refused.body)")
            #expect(try refused.error()["code"] as? String == "ledger_overflow")
            #expect(try await harness.chat(key: harness.betaKey).status == 200)
            let teams = try await harness.send(.GET, "/admin/teams", key: GatewayHarness.adminToken)
            #expect(teams.status == 200, "\(teams.body)")
            let json = try teams.json()
            #expect((json["data"] as? [[String: Any]])?.compactMap { $0["team"] as? String } == ["beta"])
            let unreadable = try #require((json["unreadable"] as? [[String: Any]])?.first)
            #expect(unreadable["code"] as? String == "ledger_overflow")
            #expect((unreadable["message"] as? String)?.contains("team 'alpha'") == true)
            let dashboard = try await harness.send(.GET, "/dashboard", key: GatewayHarness.adminToken)
            #expect(dashboard.status == 200, "\(dashboard.status) \(dashboard.body.prefix(300))")
            #expect(dashboard.body.contains("beta"))
            // The per-key table sums raw entries, which overflow here: it says so in its place.
            #expect(dashboard.body.contains("id=\"keys-unavailable\""), "\(dashboard.body)")
        }
    }

    @Test("usage reported past the hold is billed, recorded, posts an overrun alert, and the team is refused while over budget")
    func overrunAlert() async throws {
        // gpt-4.1 output is $8 per million: 2,000,000 reported tokens cost far past a ¥10 budget.
        let simulator = RelaySimulatorConfiguration(faults: .init(reportedOutputTokens: 2_000_000))
        try await WebhookReceiver.run { receiver in
            try await GatewayHarness.run(simulator: simulator, alerts: BudgetAlertTests.settings(receiver)) { gateway in
                let exchange = try await gateway.chat(key: gateway.alphaKey, maxTokens: 20)
                #expect(exchange.status == 200, "\(exchange.body)")
                let entry = try #require(try await gateway.entries(team: "alpha").first)
                #expect(entry.usageCheck == .overrun)
                #expect(entry.usage.outputTokens == 2_000_000)
                #expect((entry.overrunNanos ?? 0) > 0)
                let deliveries = try await receiver.wait(for: 4)
                let thresholds = try deliveries.map { try JSONDecoder().decode(AlertPayload.Fields.self, from: $0.body).threshold }
                #expect(thresholds.contains("overrun"), "\(thresholds)")
                #expect(try await gateway.chat(key: gateway.alphaKey, maxTokens: 1).status == 402)
            }
        }
    }
}
