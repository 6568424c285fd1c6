import ArgumentParser
import TollgateAdmin
import TollgateReports

/// `tollgate report budgets [--format] [--output]`: every team's budget now and where it is heading.
struct ReportBudgets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budgets",
        abstract: "Budget, spent, reserved, remaining and projected spend per team."
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @OptionGroup var output: ReportOutputOptions

    func run() async throws {
        let store = try await ReportArguments.open(ledger)
        let admin = QuotaAdmin(store: store, pricing: try pricing.load())
        let now = admin.clock()
        let statuses = try await QuotaAdmin(store: store, pricing: admin.pricing, clock: { now }).teamStatuses()
        var report = BudgetReport(statuses: statuses.map { ($0.team, $0.budget) }, now: now)
        report.noTeamsNote = "No teams yet: create one with 'tollgate team create'."
        try output.emit(report.render(output.format))
    }
}
