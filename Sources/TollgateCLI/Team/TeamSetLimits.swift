import ArgumentParser
import TollgateCore

/// `tollgate team set-limits NAME [--rpm N] [--tpm N] [--max-streams N]`.
struct TeamSetLimits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-limits",
        abstract: "Set a team's requests/tokens per minute and concurrent streams (0 removes a limit)."
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Argument(help: "Team name.") var name: String
    @OptionGroup var limits: RateLimitOptions

    func run() async throws {
        let team = try await CommandContext(ledger, pricing).admin.setRateLimits(team: name, limits.change)
        print("Team '\(team.name)': \(RateLimitOptions.describe(team.limits)).")
    }
}
