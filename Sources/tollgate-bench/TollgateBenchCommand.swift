import ArgumentParser
import TollgateBench

/// `tollgate-bench`: the project's rerunnable benchmarks. Build in release for numbers:
/// `swift run -c release tollgate-bench <name>`; each prints a Markdown table for BENCHMARKS.md.
@main
struct TollgateBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tollgate-bench", abstract: "Tollgate benchmarks (run with -c release).",
        subcommands: [LedgerAppend.self, SavingsReportCommand.self]
    )
}

/// `tollgate-bench ledger-append`: rows/s appending usage entries in batches.
struct LedgerAppend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger-append", abstract: "Append N usage entries in batches.")

    @Option(help: "Entries to append.") var entries: Int = 1_000_000
    @Option(help: "Entries per append call (one transaction each).") var batch: Int = 1000

    func run() async throws {
        print(try await LedgerAppendBench.run(entries: entries, batchSize: batch))
    }
}


/// `tollgate-bench savings-report`: the monthly savings report on a large generated ledger.
struct SavingsReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "savings-report", abstract: "Generate N entries, then time the monthly savings report (target < 1 s at 10 M)."
    )

    @Option(help: "Usage entries to generate.") var entries: Int = 10_000_000
    @Option(help: "Teams.") var teams: Int = 10
    @Option(help: "Months covered, from 2026-01.") var months: Int = 12
    @Option(help: "Keep the ledger at this path (reused if it already holds entries); default: a temporary file.")
    var db: String?

    func run() async throws {
        print(try await SavingsReportBench.run(entries: entries, teams: teams, months: months, path: db))
    }
}
