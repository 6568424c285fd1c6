import Foundation
import Testing
import TollgateAdmin
import TollgateCore
import TollgateDefaults
import TollgateGateway
import TollgateLedger

@Suite("Budget alert webhooks", .serialized)
struct BudgetAlertTests {
    static let secret = "webhook-secret-for-tests"

    static func settings(_ receiver: WebhookReceiver) -> BudgetAlertSettings {
        BudgetAlertSettings(
            webhooks: [receiver.url],
            secret: secret,
            maxAttempts: 4,
            firstRetryDelay: .milliseconds(100),
            maxRetryDelay: .seconds(1),
            pollInterval: .milliseconds(50)
        )
    }

    func fields(_ delivery: WebhookReceiver.Delivery) throws -> AlertPayload.Fields {
        try JSONDecoder().decode(AlertPayload.Fields.self, from: delivery.body)
    }

    @Test("a settlement that crosses 50 % posts one signed alert whose figures are the ledger's; a budget refusal posts exhausted")
    func signedDelivery() async throws {
        try await WebhookReceiver.run { receiver in
            try await GatewayHarness.run(alerts: Self.settings(receiver)) { gateway in
                _ = try await gateway.admin.adjust(team: "alpha", amount: try Money(parsing: "-6", .cny), reason: "usage billed elsewhere")
                #expect(try await gateway.chat(key: gateway.alphaKey, maxTokens: 20).status == 200)
                let first = try await receiver.wait(for: 1)
                #expect(first.count == 1)
                let delivery = try #require(first.first)
                let body = try fields(delivery)
                #expect(body.team == "alpha" && body.threshold == "50" && body.currency == "CNY" && body.limit == "10.00")
                #expect(delivery.alertID == body.alert_id)
                #expect(delivery.signature.map { AlertPayload.verify(delivery.body, header: $0, secret: Self.secret) } == true)
                #expect(delivery.signature == AlertPayload.signature(delivery.body, secret: Self.secret))
                let spent = try Money(parsing: body.spent, .cny)
                let remaining = try Money(parsing: body.remaining, .cny)
                #expect(spent + remaining == (try Money(parsing: "10", .cny)))
                #expect(spent >= (try Money(parsing: "6", .cny)))
                let status = try await gateway.admin.teamStatus("alpha").budget
                #expect(body.period_start == status.window.start.formatted(.iso8601))
                #expect(body.period_end == status.resetsAt?.formatted(.iso8601))

                // A team too poor for any request: the refusal is the exhausted alert.
                let tinyKey = try await gateway.team("tiny", budget: "0.0001")
                #expect(try await gateway.chat(key: tinyKey, maxTokens: 200).status == 402)
                let second = try await receiver.wait(for: 2)
                #expect(second.count == 2)
                let exhausted = try fields(try #require(second.last))
                #expect(exhausted.team == "tiny" && exhausted.threshold == "exhausted" && exhausted.spent == "0.00")
                try await Task.sleep(for: .milliseconds(300))
                #expect(receiver.deliveries.count == 2, "nothing is sent twice")
            }
        }
    }

    @Test("a receiver answering 500 is retried with backoff until it takes the alert; every attempt is the same body")
    func retryAfterFailure() async throws {
        try await WebhookReceiver.run(failFirst: 2) { receiver in
            try await GatewayHarness.run(alerts: Self.settings(receiver)) { gateway in
                _ = try await gateway.admin.adjust(team: "beta", amount: try Money(parsing: "-8", .cny), reason: "usage billed elsewhere")
                #expect(try await gateway.chat(key: gateway.betaKey, maxTokens: 20).status == 200)
                // 50 % and 80 % are claimed together; each fails twice at most among the first two answers.
                let deliveries = try await receiver.wait(for: 4)
                #expect(deliveries.count == 4)
                let byAlert = Dictionary(grouping: deliveries, by: { $0.alertID ?? "" })
                #expect(byAlert.count == 2)
                for attempts in byAlert.values { #expect(Set(attempts.map(\.body)).count == 1, "a retry sends the same bytes") }
                #expect(Set(try deliveries.map { try fields($0).threshold }) == ["50", "80"])
                let pending = try await gateway.ledger.dueAlertDeliveries(at: Date().addingTimeInterval(3600), limit: 10)
                #expect(pending.isEmpty, "both deliveries are recorded as delivered")
                try await Task.sleep(for: .milliseconds(400))
                #expect(receiver.deliveries.count == 4)
            }
        }
    }

    @Test("a restart on the same ledger sends nothing again, and delivers an alert claimed before a crash")
    func noDuplicatesAcrossRestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-alert-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await WebhookReceiver.run { receiver in
            try await GatewayHarness.run(alerts: Self.settings(receiver), ledgerFolder: folder) { gateway in
                _ = try await gateway.admin.adjust(team: "alpha", amount: try Money(parsing: "-8.5", .cny), reason: "usage billed elsewhere")
                #expect(try await gateway.chat(key: gateway.alphaKey, maxTokens: 20).status == 200)
                #expect(try await receiver.wait(for: 2).count == 2)
            }
            // A process that claimed an alert and died before sending it: the outbox row is all that is left.
            let ledger = try SQLiteLedger(path: folder.appending(path: "ledger.sqlite").path)
            let admin = QuotaAdmin(store: ledger, pricing: try PricingTable.shipped())
            _ = try await admin.setAlerts("beta", thresholds: [.percent(10)])
            _ = try await admin.adjust(team: "beta", amount: try Money(parsing: "-2", .cny), reason: "usage billed elsewhere")
            let claimed = try await admin.claimReachedAlerts(
                teamID: try await ledger.team(named: "beta").id,
                exhausted: false,
                webhooks: [receiver.url + "?after-restart"]
            )
            #expect(claimed.map(\.threshold) == [.percent(10)])
            let beforeRestart = receiver.deliveries.count
            try await GatewayHarness.run(alerts: Self.settings(receiver), ledgerFolder: folder) { gateway in
                #expect(try await gateway.chat(key: gateway.alphaKey, maxTokens: 20).status == 200)
                let deliveries = try await receiver.wait(for: beforeRestart + 1)
                try await Task.sleep(for: .milliseconds(500))
                #expect(receiver.deliveries.count == beforeRestart + 1, "only the alert claimed before the crash is sent: \(deliveries.count)")
                let late = try fields(try #require(receiver.deliveries.last))
                #expect(late.team == "beta" && late.threshold == "10")
                let thresholds = try receiver.deliveries.map { try fields($0) }.filter { $0.team == "alpha" }.map(\.threshold)
                #expect(thresholds.sorted() == ["50", "80"])
            }
        }
    }

    @Test(
        "a WebSocket turn cut off by a soft budget sends the exhausted alert with the percents it crossed",
        .enabled(if: PythonClient.webSocketReady, "python3 with the websocket-client module is required: pip install websocket-client")
    )
    func webSocketCutoff() async throws {
        try await WebhookReceiver.run { receiver in
            try await GatewayHarness.run(simulator: .init(outputTokens: 200), alerts: Self.settings(receiver)) { gateway in
                let key = try await gateway.team("frugal", budget: "0.0003", policy: .soft)
                let result = try await PythonClient.runOffPool(
                    ["python3", RelayWebSocketEndpointTests.script, "--url", "ws://127.0.0.1:\(gateway.port)/v1/ws/stream", "--key", key]
                )
                #expect(result.status == 0, "\(result.stderr)")
                #expect(try await gateway.entries(team: "frugal").first?.outcome == "cut_off")
                let deliveries = try await receiver.wait(for: 3)
                let thresholds = Set(try deliveries.map { try fields($0) }.filter { $0.team == "frugal" }.map(\.threshold))
                #expect(thresholds.isSuperset(of: ["50", "80", "exhausted"]), "\(thresholds)")
                #expect(gateway.observers.activity.recentEvents.contains { $0.kind == .cutoff && $0.team == "frugal" })
            }
        }
    }

    @Test("spend this gateway didn't settle (an adjustment, an import) is found by the periodic sweep")
    func sweepFindsOutsideSpend() async throws {
        try await WebhookReceiver.run { receiver in
            var settings = Self.settings(receiver)
            settings.sweepInterval = .milliseconds(200)
            try await GatewayHarness.run(alerts: settings) { gateway in
                try await Task.sleep(for: .milliseconds(100))
                #expect(receiver.deliveries.isEmpty)
                _ = try await gateway.admin.adjust(team: "beta", amount: try Money(parsing: "-5", .cny), reason: "imported elsewhere")
                let deliveries = try await receiver.wait(for: 1)
                #expect(try deliveries.map { try fields($0) }.map { "\($0.team) \($0.threshold) \($0.spent)" } == ["beta 50 5.00"])
            }
        }
    }

    @Test("a slow webhook delays only its own deliveries: the other receiver gets the alert while it still waits")
    func slowWebhookDoesNotBlockOthers() async throws {
        try await WebhookReceiver.run(delay: .seconds(4)) { slow in
            try await WebhookReceiver.run { fast in
                var settings = Self.settings(fast)
                settings.webhooks = [slow.url, fast.url]
                try await GatewayHarness.run(alerts: settings) { gateway in
                    _ = try await gateway.admin.adjust(team: "alpha", amount: try Money(parsing: "-5", .cny), reason: "usage billed elsewhere")
                    #expect(try await gateway.chat(key: gateway.alphaKey, maxTokens: 20).status == 200)
                    #expect(try await fast.wait(for: 1).count == 1)
                    #expect(slow.answeredCount == 0, "the slow receiver is still holding its request")
                    #expect(try await slow.wait(for: 1).count == 1)
                }
            }
        }
    }
}
