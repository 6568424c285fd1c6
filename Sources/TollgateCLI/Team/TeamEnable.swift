import ArgumentParser

/// `tollgate team enable NAME`: accept the team's requests again.
struct TeamEnable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enable", abstract: "Re-enable a disabled team.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Argument(help: "Team name.") var name: String

    func run() async throws {
        let team = try await CommandContext(ledger, pricing).admin.enableTeam(name)
        print("Team '\(team.name)' is enabled.")
    }
}
