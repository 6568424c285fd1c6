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
        let statuses = try await context.admin.teamStatuses()
        print(Listing(columns: TeamStatus.columns, rows: statuses.map(\.cells)).render(output.format), terminator: "")
    }
}
