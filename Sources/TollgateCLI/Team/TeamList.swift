import ArgumentParser
import TollgateAdmin

/// `tollgate team list`: every team with its spend in the current period.
struct TeamList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List teams with their current spend.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @OptionGroup var output: FormatOptions

    func run() async throws {
        let context = try await CommandContext(ledger, pricing)
        let report = try await context.admin.teamStatusReport()
        print(Listing(columns: TeamStatus.columns, rows: report.statuses.map(\.cells)).render(output.format), terminator: "")
        // A team whose entries can't be summed is named apart, so the others still list.
        for problem in report.unreadable { Console.error("error: \(problem.commandLineMessage)") }
    }
}
