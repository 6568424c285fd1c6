import ArgumentParser
import Foundation
import TollgateAdmin

/// `tollgate ledger generate --entries N --teams T --months M --seed S [--start YYYY-MM]`.
struct LedgerGenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a large deterministic synthetic ledger (for benchmarks and demos).",
        discussion: "Teams gen-01… are created when missing. Use a fresh --db: the entries are real ledger entries."
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Option(help: "Usage entries to write.") var entries: Int
    @Option(help: "Number of teams.") var teams: Int = 10
    @Option(help: "Months covered.") var months: Int = 12
    @Option(help: "Seed: the same seed gives the same ledger.") var seed: UInt64 = 1
    @Option(help: "First month, YYYY-MM (UTC).") var start: String = "2026-01"
    @Option(help: "Entries per append transaction.") var batch: Int = 2000

    func run() async throws {
        let parts = start.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, (1...12).contains(parts[1]), parts[0] >= 1970 else {
            throw CLIError("--start '\(start)' is not a month: write it as YYYY-MM, e.g. 2026-01")
        }
        let generator = try LedgerGenerator(
            entries: entries,
            teams: teams,
            months: months,
            year: parts[0],
            month: parts[1],
            seed: seed,
            batchSize: batch
        )
        let context = try await CommandContext(ledger, pricing)
        let progress = TerminalProgress(label: "Generating")
        let clock = ContinuousClock()
        let began = clock.now
        let written = try await generator.run(into: context.ledger, pricing: context.pricing) { progress.update($0, of: $1) }
        progress.finish()
        let seconds = (clock.now - began).components
        print(
            "Wrote \(written) entries (\(entries) usage, \(written - entries) credits) for \(teams) teams over \(months) months in \(seconds.seconds).\(String(seconds.attoseconds / 10_000_000_000_000_000)) s."
        )
    }
}
