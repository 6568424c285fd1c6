import ArgumentParser
import TollgateCore

/// `tollgate team create NAME --budget AMOUNT --currency CNY|USD --period ...`.
struct TeamCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a team with a budget.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Argument(help: "Team name: letters, digits, '-', '_' or '.'.") var name: String
    @Option(parsing: .unconditional, help: "Budget per period, an exact decimal such as 500 or 1200.50.") var budget: String
    @Option(help: "Budget currency: CNY or USD.") var currency: String
    @Option(help: "Budget period: monthly, weekly, daily or total.") var period: String
    @Option(name: .customLong("soft-limit"), help: "Alert at this percent of the budget (1-100).") var softLimit: Int?
    @Option(name: .customLong("on-exhausted"), help: "When the budget can't cover a request: reject, clamp or soft.")
    var onExhausted: String = "reject"
    @Option(help: "Time zone of the period boundaries (IANA name).") var tz: String = "UTC"
    @Option(help: "Output held at admission: worst-case (max_tokens) or expected (the team's recent p95, extended as the stream grows).")
    var hold: String = "worst-case"

    func run() async throws {
        let context = try await CommandContext(ledger, pricing)
        let limit = try Money(parsing: budget, try BudgetArguments.currency(currency))
        let budget = try Budget(
            limit: limit,
            period: try BudgetArguments.period(period),
            softLimitPercent: softLimit,
            onExhausted: try BudgetArguments.policy(onExhausted),
            timeZone: try BudgetArguments.timeZone(tz),
            hold: try BudgetArguments.hold(hold)
        )
        let team = try await context.admin.createTeam(name: name, budget: budget)
        print(
            "Created team '\(team.name)': \(limit) per \(budget.period.rawValue) period, on exhaustion: \(budget.onExhausted.rawValue), hold: \(budget.hold.rawValue)."
        )
    }
}
