import ArgumentParser

/// The `tollgate` command: lists the subcommands, nothing else.
public struct Tollgate: AsyncParsableCommand {
    /// Command metadata and the subcommand tree.
    public static let configuration = CommandConfiguration(
        commandName: "tollgate",
        abstract: "Meter and budget LLM streaming through API relays.",
        discussion: """
            The ledger is ./.tollgate/ledger.sqlite unless --db or TOLLGATE_DB says otherwise. Pricing is the \
            table built into this binary unless --pricing or TOLLGATE_PRICING_DIR points at a folder.
            """,
        subcommands: [
            TeamCommand.self, KeyCommand.self, LedgerCommand.self, PricingCommand.self, ReportCommand.self, TokensCommand.self,
            TokenizersCommand.self, RelaySimCommand.self, ChatCommand.self, DemoCommand.self, ServeCommand.self,
        ]
    )

    /// Creates the root command (used by argument parsing).
    public init() {}
}
