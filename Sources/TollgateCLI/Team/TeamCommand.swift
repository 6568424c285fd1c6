import ArgumentParser

/// `tollgate team ...`: create and manage teams and their budgets.
struct TeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "Create and manage teams and their budgets.",
        subcommands: [
            TeamCreate.self, TeamList.self, TeamShow.self, TeamSetBudget.self, TeamSetLimits.self, TeamSetAlerts.self, TeamAlertsCommand.self,
            TeamRename.self, TeamDisable.self, TeamEnable.self,
        ]
    )
}
