import AsyncHTTPClient
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import TollgateAdmin
import TollgateCore
import TollgateDefaults
import TollgateGateway
import TollgateLedger
import TollgateMetering
import TollgateRelaySim
import TollgateStorage
import TollgateStreaming
import TollgateTokenizers

/// A live gateway on 127.0.0.1 (ephemeral port) over a fresh ledger, metering a relay simulator,
/// with two teams (`alpha`, `beta`) and a key for each.
struct GatewayHarness: Sendable {
    static let upstreamKey = "sk-upstream-secret-7f3a9c"
    static let adminToken = "admin-token-for-tests"

    let port: Int
    let ledger: SQLiteLedger
    let admin: QuotaAdmin
    let alphaKey: String
    let betaKey: String
    /// The registry behind this gateway's `/metrics` (one per harness: tests never share counters).
    let metrics: GatewayMetrics
    /// What the endpoints report (open streams, refusals, teams to check for alerts).
    let observers: GatewayObservers

    var base: String { "http://127.0.0.1:\(port)" }

    /// A team with its own budget and a key for it.
    func team(_ name: String, budget: String, policy: ExhaustionPolicy = .reject) async throws -> String {
        _ = try await admin.createTeam(name: name, budget: try Budget(limit: Money(parsing: budget, .cny), period: .monthly, onExhausted: policy))
        return try await admin.createKey(team: name, label: "tests").secret
    }

    func entries(team: String) async throws -> [LedgerEntry] {
        try await ledger.entries(teamID: try await ledger.team(named: team).id, from: nil, to: nil, limit: 10_000)
    }

    static func run<T: Sendable>(
        simulator: RelaySimulatorConfiguration = RelaySimulatorConfiguration(),
        adminToken: String? = GatewayHarness.adminToken,
        tokenizers: TokenizerRegistry = Vocabularies.registry,
        metricsAccess: MetricsAccess = .open,
        flakyRelay: FlakyRelay? = nil,
        alerts: BudgetAlertSettings = BudgetAlertSettings(),
        ledgerFolder: URL? = nil,
        logs: LogCapture? = nil,
        limits: ServerLimits = ServerLimits(),
        relay: RelayWebSocketClient.Configuration = RelayWebSocketClient.Configuration(),
        upstreamURL: String? = nil,
        simulatorOverSSE: Bool = false,
        logHandler: (@Sendable (String) -> any LogHandler)? = nil,
        route: UpstreamRoute? = nil,
        /// What metering settles through, around the harness's ledger (a failing store, say); the ledger itself otherwise.
        settlementStore: (@Sendable (SQLiteLedger) -> any LedgerStore)? = nil,
        _ body: @Sendable (GatewayHarness) async throws -> T
    ) async throws -> T {
        // A given folder outlives the run (a restart test reopens it); a fresh one is removed.
        let folder = ledgerFolder ?? FileManager.default.temporaryDirectory.appending(path: "tollgate-gateway-\(UUID().uuidString)")
        defer { if ledgerFolder == nil { try? FileManager.default.removeItem(at: folder) } }
        let ledger = try SQLiteLedger(path: folder.appending(path: "ledger.sqlite").path)
        let pricing = try PricingTable.load(ShippedData.pricingTableFiles)
        let admin = QuotaAdmin(store: ledger, pricing: pricing)
        let budget = try Budget(limit: Money(parsing: "10", .cny), period: .monthly)
        let existing = Set(try await ledger.teams().map(\.name))
        for name in ["alpha", "beta"] where !existing.contains(name) { _ = try await admin.createTeam(name: name, budget: budget) }
        let alphaKey = try await admin.createKey(team: "alpha", label: "tests").secret
        let betaKey = try await admin.createKey(team: "beta", label: "tests").secret
        let metrics = GatewayMetrics()
        let settling = settlementStore?(ledger) ?? ledger
        let writer = LedgerWriter(store: settling, interval: .milliseconds(5), metrics: metrics.metering)
        let logger = { () -> Logger in
            if let logs { return logs.logger }
            var logger = logHandler.map { Logger(label: "tollgate.gateway.tests", factory: $0) } ?? Logger(label: "tollgate.gateway.tests")
            logger.logLevel = .warning
            return logger
        }()
        return try await withRelaySimulator(configuration: simulator, tokenCounter: Vocabularies.simulatorCounter, logger: logger) { simulatorPort in
            try await FlakyRelay.around(
                flakyRelay,
                main: RelayWebSocketClient(url: "ws://127.0.0.1:\(simulatorPort)/v1/ws/stream", apiKey: upstreamKey, configuration: relay),
                logger: logger
            ) { relayUpstream in
                // An OpenAI-compatible upstream when a test names one or asks for the simulator's own
                // `/v1/chat/completions` (as `serve` uses it); the simulator's relay WebSocket otherwise.
                let sse = upstreamURL ?? (simulatorOverSSE ? "http://127.0.0.1:\(simulatorPort)/v1/chat/completions" : nil)
                // Built as `serve` builds it (read-ahead, the upstream HTTP client).
                let relayed: any ChatStreamingClient =
                    try sse.map {
                        try UpstreamClientFactory.client(url: $0, apiKey: upstreamKey)
                    } ?? relayUpstream
                let upstream: any ChatStreamingClient = route.map { ModelRoute(model: $0.model, routed: $0.client, otherwise: relayed) } ?? relayed
                let live = LivePricing(pricing, files: ShippedData.pricingTableFiles)
                // Settlements reach the ledger through the writer, so only it sees `settling`.
                let metering = MeteredClient(store: ledger, livePricing: live, tokenizers: tokenizers, upstream: upstream, writer: writer)
                let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
                let observers = GatewayObservers()
                // What `serve` runs, in its order; only the gauges refresh faster, for the metrics tests.
                let gateway = GatewayServices(
                    settings: GatewaySettings(port: 0, adminToken: adminToken, metricsAccess: metricsAccess, limits: limits),
                    metering: metering,
                    metrics: metrics,
                    observers: observers,
                    alerts: alerts,
                    gaugeInterval: .seconds(1),
                    pricingFiles: { ShippedData.pricingTableFiles },
                    onServerRunning: { port in
                        portSink.yield(port)
                        portSink.finish()
                    },
                    logger: logger
                )
                let group = gateway.group(logger: logger)
                return try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    var iterator = ports.makeAsyncIterator()
                    guard let port = await iterator.next() else { throw HarnessFailure(description: "the gateway never started listening") }
                    let outcome: Result<T, any Error>
                    do {
                        outcome = .success(
                            try await body(
                                GatewayHarness(
                                    port: port,
                                    ledger: ledger,
                                    admin: admin,
                                    alphaKey: alphaKey,
                                    betaKey: betaKey,
                                    metrics: metrics,
                                    observers: observers
                                )
                            )
                        )
                    } catch {
                        outcome = .failure(error)
                    }
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                    return try outcome.get()
                }
            }
        }
    }
}

struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
}

/// One HTTP exchange's outcome.
struct Exchange: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: String

    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            throw HarnessFailure(description: "not a JSON object: \(body)")
        }
        return object
    }

    /// The `error` object of a refusal.
    func error() throws -> [String: Any] {
        guard let error = try json()["error"] as? [String: Any] else { throw HarnessFailure(description: "no error object: \(body)") }
        return error
    }

    /// The `data:` payloads of an SSE body, in order.
    var events: [String] {
        body.components(separatedBy: "\n\n").compactMap { block in
            block.hasPrefix("data: ") ? String(block.dropFirst("data: ".count)) : nil
        }
    }

    /// The refusal's message, or "" when there is none.
    var errorMessage: String { ((try? error())?["message"] as? String) ?? "" }

    func header(_ name: String) -> String? { headers.first(name: name) }
}

extension GatewayHarness {
    /// The thresholds claimed for a team in the ledger a run kept at `ledgerFolder`. Read after the
    /// run: once the services have stopped, the alert service has claimed every team the gateway marked.
    static func claimedThresholds(ledgerFolder: URL, teamID: Int64) async throws -> [AlertThreshold] {
        let ledger = try SQLiteLedger(path: ledgerFolder.appending(path: "ledger.sqlite").path)
        return try await ledger.budgetAlerts(teamID: teamID, limit: 100).map(\.threshold)
    }

    func send(_ method: HTTPMethod = .POST, _ path: String, key: String?, json: String? = nil) async throws -> Exchange {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Exchange(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
    }

    func chat(
        key: String?,
        model: String = "gpt-4.1",
        stream: Bool = false,
        includeUsage: Bool = false,
        maxTokens: Int? = nil
    ) async throws -> Exchange {
        var fields = [
            #""model":"\#(model)""#,
            #""messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Explain WebSocket streaming in two sentences."}]"#,
            #""stream":\#(stream)"#,
        ]
        if includeUsage { fields.append(#""stream_options":{"include_usage":true}"#) }
        if let maxTokens { fields.append(#""max_tokens":\#(maxTokens)"#) }
        return try await send(.POST, "/v1/chat/completions", key: key, json: "{" + fields.joined(separator: ",") + "}")
    }
}
