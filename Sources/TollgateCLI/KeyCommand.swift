import ArgumentParser

/// `tollgate key ...`: issue, list and revoke team API keys.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Issue, list and revoke team API keys.",
        subcommands: [KeyCreate.self, KeyList.self, KeyRevoke.self]
    )
}
