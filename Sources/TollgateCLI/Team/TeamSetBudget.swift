import ArgumentParser
import TollgateAdmin

/// `tollgate team set-budget NAME [--budget ...] [--currency ...] ...`: change budget settings.
struct TeamSetBudget: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set-budget", abstract: "Change a team's budget settings.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Argument(help: "Team name.") var name: String
    @Option(parsing: .unconditional, help: "New budget per period.") var budget: String?
    @Option(help: "New currency (needs --budget).") var currency: String?
    @Option(help: "New period: monthly, weekly, daily or total.") var period: String?
    @Option(name: .customLong("soft-limit"), help: "Alert at this percent of the budget (1-100); 0 clears it.") var softLimit: Int?
    @Option(name: .customLong("on-exhausted"), help: "reject, clamp or soft.") var onExhausted: String?
    @Option(help: "Time zone of the period boundaries (IANA name).") var tz: String?
    @Option(help: "Output held at admission: worst-case or expected.") var hold: String?

    func run() async throws {
        let context = try await CommandContext(ledger, pricing)
        let change = BudgetChange(
            amount: budget,
            currency: try currency.map(BudgetArguments.currency),
            period: try period.map(BudgetArguments.period),
            softLimitPercent: softLimit.map { $0 == 0 ? nil : $0 },
            onExhausted: try onExhausted.map(BudgetArguments.policy),
            timeZone: try tz.map(BudgetArguments.timeZone),
            hold: try hold.map(BudgetArguments.hold)
        )
        let team = try await context.admin.setBudget(name, change)
        print(
            "Team '\(team.name)': \(team.budget.limit) per \(team.budget.period.rawValue) period, on exhaustion: \(team.budget.onExhausted.rawValue), hold: \(team.budget.hold.rawValue)."
        )
    }
}
