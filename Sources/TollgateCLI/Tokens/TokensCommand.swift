import ArgumentParser

/// `tollgate tokens ...`: count tokens the way providers bill them.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Count tokens exactly (or as a documented estimate).",
        subcommands: [TokensCount.self, TokensPrompt.self]
    )
}
