import Foundation
import TollgateCore
import TollgateDefaults
import TollgateLedger
import TollgateStorage

/// Appends usage entries through the public `LedgerStore` API in batches and reports rows per second.
///
/// Entries are valued with the shipped pricing table first (outside the timed section) so the
/// number measures the ledger: prepared-statement inserts inside one transaction per batch.
public enum LedgerAppendBench {
    /// Runs the benchmark on a fresh ledger in a temporary folder; returns a Markdown report.
    public static func run(entries total: Int, batchSize: Int, teams teamCount: Int = 10) async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try SQLiteLedger(path: folder.appending(path: "ledger.sqlite").path)
        let pricing = try PricingTable.shipped()
        let start = Date(timeIntervalSince1970: 1_762_000_000)
        var teams: [Team] = []
        for index in 0..<teamCount {
            teams.append(
                try await ledger.createTeam(
                    name: "team-\(index)",
                    budget: try Budget(limit: Money(nanos: 1_000_000 * NanoDecimal.scale, .usd), period: .monthly),
                    at: start
                )
            )
        }
        let models = pricing.catalog.ids
        var batch: [LedgerEntry] = []
        batch.reserveCapacity(batchSize)
        var generator = SplitMix64(seed: 42)
        var written = 0
        var elapsed: Duration = .zero
        var cpu = 0.0
        let clock = ContinuousClock()
        while written < total {
            batch.removeAll(keepingCapacity: true)
            for offset in 0..<min(batchSize, total - written) {
                let model = models[Int(generator.next() % UInt64(models.count))]
                let usage = try TokenUsage(inputTokens: Int(generator.next() % 4000), outputTokens: Int(generator.next() % 2000))
                let instant = start.addingTimeInterval(TimeInterval(written + offset))
                batch.append(
                    .usage(
                        teamID: teams[Int(generator.next() % UInt64(teamCount))].id,
                        model: model,
                        usage: usage,
                        valuation: try pricing.valuation(of: usage, model: model, at: instant),
                        tokenSource: .tokenizer,
                        outcome: "completed",
                        occurredAt: instant,
                        recordedAt: instant
                    )
                )
            }
            let began = clock.now
            let cpuBefore = ProcessCPUTime.now()
            try await ledger.append(batch)
            cpu += ProcessCPUTime.now() - cpuBefore
            elapsed += clock.now - began
            written += batch.count
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Int(Double(written) / seconds)
        let stored = try await ledger.entryCount()
        let mode = SQLiteLedger.usesMultiThreadMode ? "multi-thread" : "serialized"
        return """
            ### Ledger append (SQLite \(mode) mode, WAL, synchronous=NORMAL)
            | entries | batch size | wall time in append | rows/s (wall) | CPU time in append | rows per CPU-second | entries stored |
            |---:|---:|---:|---:|---:|---:|---:|
            | \(written) | \(batchSize) | \(String(format: "%.2f", seconds)) s | \(rate) | \(String(format: "%.2f", cpu)) s | \(Int(Double(written) / cpu)) | \(stored) |
            """
    }
}
