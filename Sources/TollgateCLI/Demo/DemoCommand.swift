import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TollgateAdmin
import TollgateCore
import TollgateDefaults
import TollgateGateway
import TollgateLedger
import TollgateMetering
import TollgateRelaySim
import TollgateStreaming

/// `tollgate demo`: the whole product in one run, on a temporary ledger — two teams stream through a
/// real gateway (OpenAI SSE, over loopback) to the relay simulator, one runs out of budget
/// mid-stream, and the month's savings report closes the tour.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A scripted tour on a temporary ledger: teams, streams through the gateway, a budget cutoff, the savings report."
    )

    @OptionGroup var tokenizers: TokenizerOptions
    @Flag(help: "Keep the temporary ledger and print its path.") var keep = false

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-demo-\(UUID().uuidString)")
        let path = folder.appending(path: "ledger.sqlite").path
        defer { if !keep { try? FileManager.default.removeItem(at: folder) } }
        let ledger = try SQLiteLedger(path: path)
        let pricing = try PricingTable.shipped()
        let registry = tokenizers.registry()
        _ = try registry.counter(forModel: "gpt-4.1", in: pricing.catalog)  // fail early if an override vocabulary is missing or corrupt
        let admin = QuotaAdmin(store: ledger, pricing: pricing)
        Console.line("== Two teams: 'research' with ¥20 a month, 'interns' with ¥0.0004 and the soft policy")
        _ = try await admin.createTeam(name: "research", budget: try Budget(limit: Money(parsing: "20", .cny), period: .monthly))
        _ = try await admin.createTeam(
            name: "interns",
            budget: try Budget(limit: Money(parsing: "0.0004", .cny), period: .monthly, onExhausted: .soft)
        )
        let keys = [
            "research": try await admin.createKey(team: "research", label: "demo").secret,
            "interns": try await admin.createKey(team: "interns", label: "demo").secret,
        ]
        let quiet = { () -> Logger in
            var logger = Logger(label: "tollgate.demo")
            logger.logLevel = .warning
            return logger
        }()
        let simulator = RelaySimulatorConfiguration(tokensPerSecond: 400, outputTokens: 60)
        let counter = SimulatorTokenCounting.make(registry, catalog: pricing.catalog).0
        try await withRelaySimulator(configuration: simulator, tokenCounter: counter, logger: quiet) { relayPort in
            let writer = LedgerWriter(store: ledger)
            let upstream = try UpstreamClientFactory.client(url: "http://127.0.0.1:\(relayPort)/v1", apiKey: "demo-upstream-key")
            let live = LivePricing(pricing, files: ShippedData.pricingTableFiles)
            let metering = MeteredClient(store: ledger, livePricing: live, tokenizers: registry, upstream: upstream, writer: writer)
            try await DemoGateway.run(metering: metering, logger: quiet) { gatewayPort in
                Console.line("== Gateway on 127.0.0.1:\(gatewayPort), relaying to a simulator on :\(relayPort)\n")
                for (team, model) in [("research", "gpt-4.1"), ("research", "deepseek-v3.2"), ("interns", "claude-sonnet-4.5")] {
                    try await DemoGateway.stream(port: gatewayPort, key: keys[team]!, team: team, model: model)
                }
            }
        }
        let month = Date().formatted(.iso8601.year().month())
        Console.line("\n== The savings report for \(month) (tollgate report savings --month \(month))\n")
        var report = try Tollgate.parseAsRoot(["report", "savings", "--month", month, "--db", path])
        if var asyncReport = report as? any AsyncParsableCommand { try await asyncReport.run() } else { try report.run() }
        if keep { Console.line("\nThe demo ledger is kept at \(path) — try: tollgate team list --db \(path)") }
    }
}
