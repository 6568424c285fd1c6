import ArgumentParser
import Foundation

/// `tollgate key create --team NAME [--label L] [--budget AMOUNT [--period P]]`: prints the new key once.
///
/// The key alone goes to stdout (so `KEY=$(tollgate key create --team t)` works); the notice that
/// it won't be shown again goes to stderr.
struct KeyCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an API key for a team (shown once).")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Option(help: "Team the key spends for.") var team: String
    @Option(help: "A label to recognise the key by.") var label: String?
    @Option(parsing: .unconditional, help: "The key's own budget per period, in the team's currency (under the team's budget).") var budget: String?
    @Option(help: "The key budget's period: monthly, weekly, daily or total (default: the team's).") var period: String?

    func run() async throws {
        let issued = try await CommandContext(ledger, pricing).admin.createKey(
            team: team,
            label: label,
            budget: budget,
            period: try period.map(BudgetArguments.period)
        )
        FileHandle.standardError.write(
            Data("Created key \(issued.record.prefix)… for team '\(team)'. Copy it now: it is not stored and won't be shown again.\n".utf8)
        )
        print(issued.secret)
    }
}
