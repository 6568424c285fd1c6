import Foundation
import TollgateAdmin
import TollgateCore
import TollgateDefaults
import TollgateLedger
import TollgateReports

/// Times the monthly savings report on a large synthetic ledger (target: under 1 s at 10 M entries).
///
/// The ledger is written by `LedgerGenerator` through the batched append API (so the rollup is
/// maintained exactly as in production), then the report for one middle month is read and rendered
/// several times; the median is reported, with the first (coldest) run beside it.
public enum SavingsReportBench {
    /// Runs on `path` (generated if it holds no entries), or on a temporary ledger removed afterwards.
    public static func run(entries: Int, teams: Int, months: Int, path: String?, runs: Int = 5) async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-bench-\(UUID().uuidString)")
        defer { if path == nil { try? FileManager.default.removeItem(at: folder) } }
        let ledger = try SQLiteLedger(path: path ?? folder.appending(path: "ledger.sqlite").path)
        let pricing = try PricingTable.shipped()
        let clock = ContinuousClock()
        var generateSeconds: Double?
        if try await ledger.entryCount() == 0 {
            let began = clock.now
            try await LedgerGenerator(entries: entries, teams: teams, months: months, year: 2026, month: 1, seed: 1)
                .run(into: ledger, pricing: pricing)
            generateSeconds = seconds(clock.now - began)
        }
        let stored = try await ledger.entryCount()
        let month = String(format: "2026-%02d", min(max(months / 2, 1), 12))
        let period = try ReportPeriod.month(month, timeZone: .gmt)
        var timings: [Double] = []
        var requests: Int64 = 0
        for _ in 0..<max(runs, 1) {
            let began = clock.now
            let names = Dictionary(uniqueKeysWithValues: try await ledger.teams().map { ($0.id, $0.name) })
            let sums = try await ledger.usageSums(across: period.boundaries, teamID: nil)
            let report = SavingsReport(period: period, team: nil, grouping: .teamModel, sums: sums, teams: names)
            _ = report.render(.table)
            timings.append(seconds(clock.now - began))
            requests = report.totals.requests
        }
        let median = timings.sorted()[timings.count / 2]
        return """
            ### Savings report (SQLite rollup, month \(month))
            | entries in ledger | usage entries in month | generate | report: first run | report: median of \(timings.count) |
            |---:|---:|---:|---:|---:|
            | \(stored) | \(requests) | \(generateSeconds.map { String(format: "%.1f s", $0) } ?? "reused") | \(String(format: "%.3f s", timings[0])) | \(String(format: "%.3f s", median)) |
            """
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
