import ArgumentParser
import Foundation
import TollgateReports

/// `tollgate report verify [--month YYYY-MM]`: recompute the rollup from the raw entries and compare.
struct ReportVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that the report rollup equals the raw ledger entries, key by key.",
        discussion: "Exits 1 listing every difference; a ledger written only by Tollgate never has one."
    )

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "Only this month (YYYY-MM, UTC); default: the whole ledger.") var month: String?

    func run() async throws {
        let store = try await ReportArguments.open(ledger)
        var chunks: [(Date, Date)] = []
        if let month {
            let period = try ReportPeriod.month(month, timeZone: .gmt)
            chunks = [(period.start, period.end)]
        } else if let span = try await store.entrySpan() {
            // One calendar month per query keeps memory bounded and lets progress move.
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .gmt
            var start = calendar.dateInterval(of: .month, for: span.first)!.start
            while start <= span.last {
                let end = calendar.date(byAdding: .month, value: 1, to: start)!
                chunks.append((start, end))
                start = end
            }
        }
        let progress = TerminalProgress(label: "Verifying the rollup")
        var keys = 0
        var entries: Int64 = 0
        var mismatches: [String] = []
        for (index, chunk) in chunks.enumerated() {
            progress.update(index, of: chunks.count)
            let check = try await store.verifyRollup(from: chunk.0, to: chunk.1)
            keys += check.keysCompared
            entries += check.entriesCompared
            mismatches += check.mismatches
        }
        progress.finish()
        guard mismatches.isEmpty else {
            throw CLIError(
                "the rollup disagrees with the ledger entries in \(mismatches.count) place(s):\n" + mismatches.prefix(100).joined(separator: "\n")
                    + "\nthe entries are the truth: report this as a bug"
            )
        }
        print("The rollup matches the ledger: \(entries) entries in \(keys) rollup keys checked.")
    }
}
