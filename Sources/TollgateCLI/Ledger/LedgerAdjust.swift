import ArgumentParser
import TollgateCore

/// `tollgate ledger adjust --team NAME --amount DECIMAL --currency CNY|USD --reason TEXT`.
struct LedgerAdjust: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjust",
        abstract: "Credit (positive amount) or charge (negative) a team, with a reason."
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Option(help: "Team to adjust.") var team: String
    @Option(parsing: .unconditional, help: "Exact amount: positive credits the team, negative charges it.") var amount: String
    @Option(help: "Currency of the amount: CNY or USD.") var currency: String
    @Option(help: "Why (required, kept in the ledger).") var reason: String

    func run() async throws {
        let money = try Money(parsing: amount, try BudgetArguments.currency(currency))
        let entry = try await CommandContext(ledger, pricing).admin.adjust(team: team, amount: money, reason: reason)
        let verb = entry.kind == .credit ? "Credited" : "Charged"
        let shown = Money(nanos: abs(money.nanos), money.currency)
        print("\(verb) team '\(team)' \(shown) (ledger charge \(entry.chargeUSD) / \(entry.chargeCNY), FX \(entry.fxVersion ?? "-")).")
    }
}
