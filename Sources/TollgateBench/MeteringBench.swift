import Foundation
import TollgateCore
import TollgateDefaults
import TollgateGateway
import TollgateLedger
import TollgateMetering
import TollgateRelaySim
import TollgateStorage
import TollgateStreaming
import TollgateTokenizers

/// Metering benchmarks: reserve+settle throughput, per-delta overhead against the same stream
/// unmetered, and ledger entries/s with 1,000 concurrent metered streams.
public enum MeteringBench {
    /// Runs all three on a temporary ledger; returns Markdown. With `prometheus`, every metric goes
    /// into a Prometheus registry as in `tollgate serve`; otherwise into swift-metrics' no-op backend.
    /// `tokenizerDir` nil counts with the built-in vocabularies.
    public static func run(
        tokenizerDir: URL?,
        operations: Int,
        concurrency: Int,
        deltas: Int,
        streams: Int,
        openStreams: Int,
        streamMaxTokens: Int = 64,
        holdPolicy: String = HoldPolicy.worstCase.rawValue,
        prometheus: Bool = false
    ) async throws -> String {
        let hold = try HoldPolicy(name: holdPolicy)
        let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-metering-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try SQLiteLedger(path: folder.appending(path: "ledger.sqlite").path)
        let pricing = try PricingTable.shipped()
        let registry = TokenizerRegistry(locator: tokenizerDir.map { VocabularyLocator(searchDirectories: [$0]) } ?? .builtIn)
        let team = try await ledger.createTeam(
            name: "bench",
            budget: try Budget(limit: Money(parsing: "1000000", .cny), period: .monthly, hold: hold),
            at: Date()
        )
        let writer = LedgerWriter(store: ledger, metrics: prometheus ? GatewayMetrics().metering : MeteringMetrics())
        let writing = Task { try await writer.run() }
        defer { writing.cancel() }
        var report =
            "### Metering (SQLite ledger, group commit every 5 ms, metrics: \(prometheus ? "Prometheus registry" : "none"), hold: \(hold.rawValue))\n\n"
        report += try await reserveSettle(
            ledger: ledger,
            pricing: pricing,
            team: team,
            writer: writer,
            operations: operations,
            concurrency: concurrency
        )
        report += try await deltaOverhead(ledger: ledger, pricing: pricing, registry: registry, team: team, writer: writer, deltas: deltas)
        report += try await concurrentStreams(
            ledger: ledger,
            pricing: pricing,
            registry: registry,
            team: team,
            writer: writer,
            streams: streams,
            open: openStreams,
            maxTokens: streamMaxTokens
        )
        return report
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Admission + settlement without streaming: the ledger's share of every request.
    static func reserveSettle(
        ledger: SQLiteLedger,
        pricing: PricingTable,
        team: Team,
        writer: LedgerWriter,
        operations: Int,
        concurrency: Int
    ) async throws -> String {
        let cpu = ProcessCPUTime.now()
        let wall = try await reserveSettleTimed(
            ledger: ledger,
            pricing: pricing,
            team: team,
            keyID: nil,
            writer: writer,
            operations: operations,
            concurrency: concurrency,
            idPrefix: "op"
        )
        let cpuUsed = ProcessCPUTime.now() - cpu
        return """
            | reserve+settle | concurrency | wall | ops/s (wall) | CPU | ops per CPU-second |
            |---:|---:|---:|---:|---:|---:|
            | \(operations) | \(concurrency) | \(String(format: "%.2f", wall)) s | \(Int(Double(operations) / wall)) | \(String(format: "%.2f", cpuUsed)) s | \(Int(Double(operations) / cpuUsed)) |

            """
    }
}
