import ArgumentParser
import TollgateAdmin
import TollgateCore

/// `tollgate team alerts NAME`: the thresholds in force and the alerts claimed, newest first.
struct TeamAlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alerts", abstract: "Show a team's alert thresholds and the alerts it has raised.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @OptionGroup var output: FormatOptions
    @Argument(help: "Team name.") var name: String

    func run() async throws {
        let context = try await CommandContext(ledger, pricing)
        let alerts = try await context.admin.alerts(name)
        let raised = try await context.admin.store.budgetAlerts(teamID: alerts.team.id, limit: 100)
        if output.format == .table {
            print("Team '\(alerts.team.name)' alerts at \(alerts.thresholds.listText)\(alerts.isDefault ? " (the defaults)" : "").")
        }
        let listing = Listing(
            columns: ["occurred_at", "threshold", "period_start", "spent", "limit", "currency", "alert_id"],
            rows: raised.map { alert in
                [
                    .text(Show.instant(alert.occurredAt)), .text(alert.threshold.name),
                    alert.window.start == .distantPast ? .empty : .text(Show.instant(alert.window.start)),
                    Show.amount(alert.spent), Show.amount(alert.limit), .text(alert.limit.currency.rawValue), .text(alert.id),
                ]
            }
        )
        print(listing.render(output.format), terminator: "")
    }
}
