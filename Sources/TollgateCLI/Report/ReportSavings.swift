import ArgumentParser
import TollgateReports

/// `tollgate report savings --month YYYY-MM [--team] [--by] [--tz] [--format] [--output]`.
struct ReportSavings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "savings",
        abstract: "What the relay saved against buying directly, for one month.",
        discussion: """
            Paid = relay price book × relay FX; baseline = official price book × baseline FX, as stamped on each \
            entry when it was written, so re-pricing never changes a past month. Credits and corrections are shown apart.
            """
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: ReportOutputOptions
    @Option(help: "The month, YYYY-MM.") var month: String
    @Option(help: "Only this team.") var team: String?
    @Option(help: "Rows per team, model, day, key or team-model (default).") var by: String?
    @Option(help: "Time zone drawing the month and day boundaries (IANA name).") var tz: String = "UTC"

    func run() async throws {
        let period = try ReportPeriod.month(month, timeZone: try ReportPeriod.timeZone(tz))
        let grouping = try ReportArguments.grouping(by)
        let store = try await ReportArguments.open(ledger)
        let teams = try await ReportArguments.teams(store, only: team)
        let sums = try await ReportArguments.sums(store, period: period, teamID: teams.id, grouping: grouping)
        let keys = try await ReportArguments.keys(store, grouping: grouping, teamID: teams.id)
        let report = SavingsReport(period: period, team: team, grouping: grouping, sums: sums, teams: teams.names, keys: keys)
        try output.emit(report.render(output.format))
    }
}
