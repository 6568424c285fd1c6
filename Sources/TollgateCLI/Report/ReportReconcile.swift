import ArgumentParser
import TollgateReports

/// `tollgate report reconcile --month YYYY-MM [--tz] [--format] [--output]`.
struct ReportReconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Tokens counted locally vs reported by the upstream, per model, and the drift."
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: ReportOutputOptions
    @Option(help: "The month, YYYY-MM.") var month: String
    @Option(help: "Time zone drawing the month boundaries (IANA name).") var tz: String = "UTC"

    func run() async throws {
        let period = try ReportPeriod.month(month, timeZone: try ReportPeriod.timeZone(tz))
        let store = try await ReportArguments.open(ledger)
        let sums = try await store.usageSums(across: [period.start, period.end], teamID: nil)
        let checked = try await store.checkedEntries(from: period.start, to: period.end, limit: 10_000)
        let names = Dictionary(uniqueKeysWithValues: try await store.teams().map { ($0.id, $0.name) })
        let refused = try await store.outcomeCounts(ReconcileReport.refusedOutcomes, from: period.start, to: period.end)
        try output.emit(ReconcileReport(period: period, sums: sums, checked: checked, teamNames: names, refused: refused).render(output.format))
    }
}
