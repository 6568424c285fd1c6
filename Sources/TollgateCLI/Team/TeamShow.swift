import ArgumentParser
import TollgateAdmin

/// `tollgate team show NAME`: budget, spend so far in this period, what is left, when it resets.
struct TeamShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a team's budget and spend in the current period.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @OptionGroup var output: FormatOptions
    @Argument(help: "Team name.") var name: String

    func run() async throws {
        let context = try await CommandContext(ledger, pricing)
        let status = try await context.admin.teamStatus(name)
        print(Listing(columns: TeamStatus.columns, rows: [status.cells]).renderRecord(output.format), terminator: "")
    }
}
