import ArgumentParser

/// `tollgate key set-budget PREFIX AMOUNT|none [--period P]`: give a key its own budget under its
/// team's, change it, or remove it.
struct KeySetBudget: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-budget",
        abstract: "Set a key's own budget under its team's (in the team's currency), or 'none' to remove it."
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Argument(help: "The key's prefix ('tollgate key list' shows it).") var prefix: String
    @Argument(help: "Budget per period in the team's currency, or 'none' to remove the key's budget.") var amount: String
    @Option(help: "Period: monthly, weekly, daily or total (default: the key's current period, else the team's).") var period: String?

    func run() async throws {
        let context = try await CommandContext(ledger, pricing)
        let removing = amount.lowercased() == "none"
        let key = try await context.admin.setKeyBudget(
            prefix: prefix,
            amount: removing ? nil : amount,
            period: try period.map(BudgetArguments.period)
        )
        if let budget = key.budget {
            print("Key \(key.prefix): its own budget is \(budget.limit) per \(budget.period.rawValue) period, under its team's.")
        } else {
            print("Key \(key.prefix): no budget of its own; its team's budget applies.")
        }
    }
}
