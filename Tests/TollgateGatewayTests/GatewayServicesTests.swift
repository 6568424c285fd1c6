import Foundation
import ServiceLifecycle
import Testing
import TollgateCore
import TollgateDefaults
import TollgateGateway
import TollgateLedger
import TollgateMetering
import TollgateRelaySim
import TollgateStreaming

@Suite("the gateway's service wiring (what serve, demo and the tests run)")
struct GatewayServicesTests {
    @Test("the ledger writer starts first and the server last, so the server stops first and the writer drains last")
    func order() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-services-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try SQLiteLedger(path: folder.appending(path: "ledger.sqlite").path)
        // Never called: the services are only built, not run.
        let upstream = ChatCompletionsClient(url: "http://127.0.0.1:9/v1/chat/completions", apiKey: "unused")
        let metering = MeteredClient(
            store: ledger,
            pricing: try PricingTable.shipped(),
            tokenizers: Vocabularies.registry,
            upstream: upstream,
            writer: LedgerWriter(store: ledger)
        )
        let services = GatewayServices(settings: GatewaySettings(port: 0), metering: metering, pricingFiles: { ShippedData.pricingTableFiles })
            .services
        let kinds = services.map { String(describing: type(of: $0)) }
        #expect(kinds.count == 6, "\(kinds)")
        #expect(services.first is LedgerWriterService, "\(kinds)")
        #expect(kinds.last?.hasPrefix("ShutdownGrace<") == true, "\(kinds)")
        let alerts = try #require(kinds.firstIndex(of: "BudgetAlertService"))
        #expect(alerts < kinds.count - 1, "the alert service outlives the server's drain: \(kinds)")
    }

    @Test("a stream open when shutdown starts finishes, and is settled in the ledger before the services return")
    func streamOpenAtShutdownIsSettled() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-services-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // About a second of streaming: well inside the default 10 s grace.
        let simulator = RelaySimulatorConfiguration(tokensPerSecond: 40, outputTokens: 40)
        let stream = try await GatewayHarness.run(simulator: simulator, ledgerFolder: folder) { gateway in
            let stream = Task { try await gateway.chat(key: gateway.alphaKey, stream: true, includeUsage: true) }
            let deadline = ContinuousClock.now + .seconds(10)
            while try await gateway.ledger.openReservations(teamID: nil).isEmpty {
                guard ContinuousClock.now < deadline else { throw HarnessFailure(description: "the stream never opened") }
                try await Task.sleep(for: .milliseconds(10))
            }
            // Returning starts the graceful shutdown with the stream still open.
            return stream
        }
        let exchange = try await stream.value
        #expect(exchange.status == 200 && exchange.events.last == "[DONE]", "\(exchange.body)")
        let ledger = try SQLiteLedger(path: folder.appending(path: "ledger.sqlite").path)
        #expect(try await ledger.openReservations(teamID: nil).isEmpty, "every hold is settled before exit")
        let alpha = try await ledger.team(named: "alpha")
        let usage = try await ledger.entries(teamID: alpha.id, from: nil, to: nil, limit: 10).filter { $0.kind == .usage }
        #expect(usage.map(\.outcome) == ["completed"])
    }
}
