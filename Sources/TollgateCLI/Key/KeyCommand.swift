import ArgumentParser

/// `tollgate key ...`: issue, list, budget and revoke team API keys.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Issue, list, budget and revoke team API keys.",
        subcommands: [KeyCreate.self, KeyList.self, KeySetBudget.self, KeySetLimits.self, KeyRevoke.self]
    )
}
