import ArgumentParser
import TollgateReports

/// `tollgate report reconcile --month YYYY-MM [--tz] [--format] [--output]`.
struct ReportReconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile", abstract: "Tokens counted locally vs reported by the upstream, per model, and the drift."
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: ReportOutputOptions
    @Option(help: "The month, YYYY-MM.") var month: String
    @Option(help: "Time zone drawing the month boundaries (IANA name).") var tz: String = "UTC"

    func run() async throws {
        let period = try ReportPeriod.month(month, timeZone: try ReportPeriod.timeZone(tz))
        let store = try await ReportArguments.open(ledger)
        let sums = try await store.usageSums(across: [period.start, period.end], teamID: nil)
        try output.emit(ReconcileReport(period: period, sums: sums).render(output.format))
    }
}
