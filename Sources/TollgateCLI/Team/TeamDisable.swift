import ArgumentParser

/// `tollgate team disable NAME`: refuse the team's requests until re-enabled; nothing is deleted.
struct TeamDisable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable a team: its keys are refused.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Argument(help: "Team name.") var name: String

    func run() async throws {
        let team = try await CommandContext(ledger, pricing).admin.disableTeam(name)
        print("Team '\(team.name)' is disabled: its requests are refused until 'tollgate team enable \(team.name)'.")
    }
}
