import Foundation
import Testing
import TollgateCore
import TollgateDefaults
import TollgateLedger
import TollgateRelaySim
import TollgateStorage
import TollgateStreaming
import TollgateTestSupport
import TollgateTokenizers

@testable import TollgateMetering

/// The shared vocabularies, located once for every test target (see `SharedTokenizerData`).
typealias Vocabularies = SharedTokenizerData

/// A team on a fresh ledger, a running group-commit writer and a relay simulator on loopback.
struct MeteredHarness: Sendable {
    let ledger: SQLiteLedger
    let team: Team
    let writer: LedgerWriter
    let port: Int
    let pricing: PricingTable

    func client(usage: Bool = true, headers: [(name: String, value: String)] = [], metrics: MeteringMetrics? = nil) -> MeteredClient {
        var all = headers
        if !usage { all.append((SimulatorHeader.usage, "off")) }
        let upstream = RelayWebSocketClient(
            url: "ws://127.0.0.1:\(port)/v1/ws/stream",
            apiKey: "sk-test",
            configuration: .init(handshakeTimeout: .seconds(30), additionalHeaders: all)
        )
        return MeteredClient(store: ledger, pricing: pricing, tokenizers: Vocabularies.registry, upstream: upstream, writer: writer, metrics: metrics)
    }

    func entries() async throws -> [LedgerEntry] {
        try await ledger.entries(teamID: team.id, from: nil, to: nil, limit: 100_000)
    }

    /// Waits until the ledger holds `count` entries (settlements after a disconnect land asynchronously).
    func waitForEntries(_ count: Int) async throws -> [LedgerEntry] {
        for _ in 0..<250 {
            let entries = try await entries()
            if entries.count >= count { return entries }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await entries()
    }

    static func run<T: Sendable>(
        budget: String = "10",
        currency: Currency = .cny,
        policy: ExhaustionPolicy = .reject,
        simulator: RelaySimulatorConfiguration = RelaySimulatorConfiguration(),
        _ body: @Sendable (MeteredHarness) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-metered-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try SQLiteLedger(path: folder.appending(path: "ledger.sqlite").path)
        let team = try await ledger.createTeam(
            name: "research",
            budget: try Budget(limit: Money(parsing: budget, currency), period: .monthly, onExhausted: policy),
            at: Date()
        )
        let pricing = try PricingTable.shipped()
        let writer = LedgerWriter(store: ledger, interval: .milliseconds(5))
        let writing = Task { try await writer.run() }
        defer { writing.cancel() }
        return try await withRelaySimulator(configuration: simulator, tokenCounter: Vocabularies.simulatorCounter) { port in
            try await body(MeteredHarness(ledger: ledger, team: team, writer: writer, port: port, pricing: pricing))
        }
    }
}

/// Everything a metered stream produced.
struct MeteredCollection {
    var text = ""
    var summary: MeteredSummary?
    var cutoff: BudgetCutoff?
    var error: (any Error)?
    var sawDone = false
}

func collect(_ stream: MeteredStream) async -> MeteredCollection {
    var collection = MeteredCollection()
    do {
        for try await event in stream {
            switch event {
            case .chat(.textDelta(let text)): collection.text += text
            case .chat(.done): collection.sawDone = true
            case .chat: break
            case .budgetExhausted(let cutoff): collection.cutoff = cutoff
            case .settled(let summary): collection.summary = summary
            }
        }
    } catch {
        collection.error = error
    }
    return collection
}

let prompt: [ChatMessage] = [.system("You are terse."), .user("Explain WebSocket streaming in two sentences.")]
