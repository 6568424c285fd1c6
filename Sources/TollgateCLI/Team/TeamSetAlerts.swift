import ArgumentParser
import TollgateAdmin
import TollgateCore

/// `tollgate team set-alerts NAME --thresholds 50,80,100,exhausted | --defaults`: the same
/// `QuotaAdmin.setAlerts` as `PUT /admin/teams/{team}/alerts`.
struct TeamSetAlerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-alerts",
        abstract: "Set at which budget thresholds a team's alerts fire.",
        discussion: """
            Each threshold fires once per budget period to the gateway's alert webhooks (tollgate serve \
            --alert-webhook URL). Percents of the budget (1-1000) and 'exhausted' (a request refused or cut off); \
            'none' turns the team's alerts off. Default: 50,80,100,exhausted,overrun plus the budget's --soft-limit.
            """
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @Argument(help: "Team name.") var name: String
    @Option(help: "Comma-separated thresholds, e.g. 50,80,100,exhausted, or none.") var thresholds: String?
    @Flag(help: "Return to the default thresholds.") var defaults = false

    func validate() throws {
        guard (thresholds == nil) != !defaults else {
            throw ValidationError("give either --thresholds 50,80,100,exhausted (or none) or --defaults")
        }
    }

    func run() async throws {
        let context = try await CommandContext(ledger, pricing)
        let parsed = try thresholds.map { try AlertThreshold.list(parsing: $0) }
        let alerts = try await context.admin.setAlerts(name, thresholds: defaults ? nil : parsed)
        print("Team '\(alerts.team.name)' alerts at \(alerts.thresholds.listText)\(alerts.isDefault ? " (the defaults)" : "").")
    }
}
