import ArgumentParser
import TollgateBench

/// `tollgate-bench`: the project's rerunnable benchmarks. Build in release for numbers:
/// `swift run -c release tollgate-bench <name>`; each prints a Markdown table for BENCHMARKS.md.
@main
struct TollgateBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tollgate-bench", abstract: "Tollgate benchmarks (run with -c release).",
        subcommands: [LedgerAppend.self]
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

