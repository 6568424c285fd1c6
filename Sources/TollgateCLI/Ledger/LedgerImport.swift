import ArgumentParser
import Foundation

/// `tollgate ledger import FILE`: JSON lines of usage events, all or nothing.
struct LedgerImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import usage events (JSON lines), each priced at the version in force when it occurred.",
        discussion: """
            Each line: {"team":"…","model":"…","input_tokens":N,"output_tokens":N,"cached_input_tokens":N,\
            "occurred_at":"RFC3339"} with an optional "request_id" that makes re-imports safe and the optional \
            parts 'ledger entries' writes: "cache_write_5m_tokens" and "cache_write_1h_tokens" (of input_tokens) \
            and "reasoning_tokens" (of output_tokens), 0 when absent. The output of \
            'ledger entries --format json' (one JSON array of usage entries) imports as it is. \
            A bad line is reported with its number and nothing from the file is applied.
            """
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Argument(help: "The JSON lines file ('-' for stdin).") var file: String

    func run() async throws {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw CLIError("cannot read '\(file)': check the path")
            }
            data = contents
        }
        let summary = try await CommandContext(ledger, pricing).admin.importUsage(data)
        print("Imported \(summary.count) usage events: \(summary.totalUSD) list, \(summary.totalCNY) paid.")
    }
}
