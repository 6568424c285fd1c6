import Foundation
import Logging
import TollgateCore
import TollgateDefaults
import TollgateLedger
import TollgateLedgerPostgres
import TollgateLocalPostgres
import TollgateMetering
import TollgateRelaySim
import TollgateStorage
import TollgateStreaming
import TollgateTokenizers

/// Scale-out benchmark: reserve+settle/s and metered streams/s for SQLite on one node and for 1, 2,
/// 3 replicas against one PostgreSQL. A replica is what `tollgate serve` runs per process — its own
/// connection pool, admission queue, `LedgerWriter` and `MeteredClient` — all in this process, so
/// the numbers show what the shared database sustains, on the same cores as the clients.
public enum ReplicaBench {
    /// One measured configuration.
    struct Replica {
        let store: any LedgerDatabase
        let writer: LedgerWriter
        let writing: Task<Void, any Error>
    }

    /// Runs every configuration; returns Markdown. `tokenizerDir` nil counts with the built-in vocabularies.
    public static func run(
        tokenizerDir: URL?,
        replicaCounts: [Int],
        operations: Int,
        concurrency: Int,
        streams: Int,
        open: Int
    ) async throws -> String {
        let pricing = try PricingTable.shipped()
        let registry = TokenizerRegistry(locator: tokenizerDir.map { VocabularyLocator(searchDirectories: [$0]) } ?? .builtIn)
        let server = try LocalPostgresServer(settings: ["synchronous_commit=off", "max_connections=200", "shared_buffers=256MB"])
        defer { server.shutdown() }
        var report = """
            ### Replicas on one PostgreSQL vs SQLite on one node

            | ledger | replicas | reserve+settle | ops/s (wall) | ops per CPU-second | metered streams | streams/s | failures | spend = entries, reserved = 0 |
            |---|---:|---:|---:|---:|---:|---:|---:|---|

            """
        let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-replica-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlite = try SQLiteLedger(path: folder.appending(path: "ledger.sqlite").path)
        report += try await measure(
            "SQLite",
            stores: [sqlite],
            pricing: pricing,
            registry: registry,
            operations: operations,
            concurrency: concurrency,
            streams: streams,
            open: open
        )
        for count in replicaCounts {
            let url = try server.createDatabase()
            var stores: [any LedgerDatabase] = []
            for _ in 0..<count { stores.append(try await PostgresLedger.connect(url: url)) }
            report += try await measure(
                "PostgreSQL",
                stores: stores,
                pricing: pricing,
                registry: registry,
                operations: operations,
                concurrency: concurrency,
                streams: streams,
                open: open
            )
            for store in stores { (store as? PostgresLedger)?.close() }
        }
        return report
    }

    static func measure(
        _ engine: String,
        stores: [any LedgerDatabase],
        pricing: PricingTable,
        registry: TokenizerRegistry,
        operations: Int,
        concurrency: Int,
        streams: Int,
        open: Int
    ) async throws -> String {
        let team = try await stores[0].createTeam(
            name: "bench",
            budget: try Budget(limit: Money(parsing: "1000000", .cny), period: .monthly),
            at: Date()
        )
        let replicas = stores.map { store in
            let writer = LedgerWriter(store: store)
            return Replica(store: store, writer: writer, writing: Task { try await writer.run() })
        }
        defer { for replica in replicas { replica.writing.cancel() } }
        let (opsWall, opsCPU) = try await reserveSettle(replicas, pricing: pricing, team: team, operations: operations, concurrency: concurrency)
        let (streamWall, failures, written) = try await meteredStreams(
            replicas,
            pricing: pricing,
            registry: registry,
            team: team,
            streams: streams,
            open: open
        )
        let window = team.budget.window(at: Date())
        let spent = try await stores[0].spend(teamID: team.id, currency: .cny, in: window)
        let entries = try await stores[0].entries(teamID: team.id, from: nil, to: nil, limit: Int.max)
        let reserved = try await stores[0].reserved(teamID: team.id, currency: .cny)
        let consistent = spent.nanos == entries.reduce(0) { $0 + $1.chargeCNY.nanos } && reserved.nanos == 0
        return "| \(engine) | \(stores.count) | \(operations) | \(Int(Double(operations) / opsWall)) | \(Int(Double(operations) / opsCPU)) "
            + "| \(streams) | \(Int(Double(written) / streamWall)) | \(failures) | \(consistent ? "yes" : "NO") |\n"
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Admission + settlement without streaming, workers spread round-robin over the replicas.
    static func reserveSettle(
        _ replicas: [Replica],
        pricing: PricingTable,
        team: Team,
        operations: Int,
        concurrency: Int
    ) async throws -> (Double, Double) {
        let usage = try TokenUsage(inputTokens: 500, outputTokens: 0)
        let request = AdmissionRequest(
            price: try pricing.price(of: "gpt-4.1", in: .relay, at: Date()).price,
            relayRate: FXRate(cnyPerUSD: 1_000_000_000),
            prompt: usage,
            maxOutputTokens: 1000
        )
        let clock = ContinuousClock()
        let cpu = ProcessCPUTime.now()
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                let replica = replicas[worker % replicas.count]
                group.addTask {
                    for index in stride(from: worker, to: operations, by: concurrency) {
                        let now = Date()
                        let draft = ReservationDraft(
                            id: "op-\(index)",
                            teamID: team.id,
                            keyID: nil,
                            model: "gpt-4.1",
                            priceVersion: "2025-10-01",
                            fxVersion: "fx-2025-10-01",
                            prompt: usage,
                            tokenSource: .tokenizer,
                            occurredAt: now,
                            leaseExpiresAt: now.addingTimeInterval(30)
                        )
                        _ = try await replica.store.reserve(draft) { _, status in Admission.decide(request, status: status, policy: .reject) }
                        var used = usage
                        used.outputTokens = 200
                        let entry = LedgerEntry.usage(
                            teamID: team.id,
                            requestID: draft.id,
                            model: "gpt-4.1",
                            usage: used,
                            valuation: try pricing.valuation(of: used, model: "gpt-4.1", at: now),
                            tokenSource: .tokenizer,
                            outcome: "completed",
                            occurredAt: now,
                            recordedAt: now
                        )
                        _ = try await replica.writer.settle(.init(reservationID: draft.id, entry: entry))
                    }
                }
            }
            try await group.waitForAll()
        }
        return (seconds(clock.now - started), ProcessCPUTime.now() - cpu)
    }

    /// Metered streams against the relay simulator, open streams spread over the replicas.
    static func meteredStreams(
        _ replicas: [Replica],
        pricing: PricingTable,
        registry: TokenizerRegistry,
        team: Team,
        streams: Int,
        open: Int
    ) async throws -> (Double, Int, Int) {
        let before = try await replicas[0].store.entryCount()
        let counter: SimulatorTokenCounter = { model, text in (try? registry.counter(forModel: model, in: pricing.catalog).count(text)) ?? 0 }
        var quiet = Logger(label: "bench")
        quiet.logLevel = .warning
        let (wall, failures) = try await withRelaySimulator(configuration: .init(outputTokens: 16), tokenCounter: counter, logger: quiet) { port in
            let clients = replicas.map { replica in
                MeteredClient(
                    store: replica.store,
                    pricing: pricing,
                    tokenizers: registry,
                    upstream: RelayWebSocketClient(
                        url: RelayWebSocketProtocol.url(port: port),
                        apiKey: "bench",
                        configuration: .init(handshakeTimeout: .seconds(60))
                    ),
                    writer: replica.writer
                )
            }
            let clock = ContinuousClock()
            let started = clock.now
            let failures = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<open {
                    let client = clients[worker % clients.count]
                    group.addTask {
                        var failed = 0
                        for _ in stride(from: worker, to: streams, by: open) {
                            do {
                                for try await _ in try await client.stream(
                                    teamID: team.id,
                                    keyID: nil,
                                    request: ChatRequest(model: "deepseek-v3.2", messages: [.user("hi")], maxTokens: 64)
                                ) {}
                            } catch {
                                failed += 1
                            }
                        }
                        return failed
                    }
                }
                return try await group.reduce(0, +)
            }
            return (seconds(clock.now - started), failures)
        }
        let written = try await replicas[0].store.entryCount() - before
        return (wall, failures, written)
    }
}
