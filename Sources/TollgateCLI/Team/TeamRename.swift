import ArgumentParser

/// `tollgate team rename NAME NEW-NAME`: the team keeps its id, so its keys, budget, limits, alerts
/// and entries stay with it.
struct TeamRename: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename",
        abstract: "Rename a team; its keys, budget, limits, alerts and entries stay with it.",
        discussion: "The new name follows the rule of 'team create': 1 to 64 letters, digits, '-', '_' or '.'."
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Argument(help: "Team name.") var name: String
    @Argument(help: "The team's new name.") var newName: String

    func run() async throws {
        let team = try await CommandContext(ledger, pricing).admin.renameTeam(name, to: newName)
        print("Team '\(name)' is now '\(team.name)': its keys, budget and ledger entries are unchanged.")
    }
}
