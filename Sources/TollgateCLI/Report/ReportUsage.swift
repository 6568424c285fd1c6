import ArgumentParser
import TollgateReports

/// `tollgate report usage --from DATE --to DATE [--team] [--by] [--tz] [--format] [--output]`.
struct ReportUsage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Requests, tokens and spend over a period, per team, model or day."
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: ReportOutputOptions
    @Option(help: "From this date (midnight in --tz) or RFC 3339 instant, included.") var from: String
    @Option(help: "Up to this date or instant, excluded.") var to: String
    @Option(help: "Only this team.") var team: String?
    @Option(help: "Rows per team, model, day, key or team-model (default).") var by: String?
    @Option(help: "Time zone of dates and day boundaries (IANA name).") var tz: String = "UTC"

    func run() async throws {
        let zone = try ReportPeriod.timeZone(tz)
        let period = try ReportPeriod.range(
            from: try ReportPeriod.instant(from, bound: .start, timeZone: zone),
            to: try ReportPeriod.instant(to, bound: .end, timeZone: zone),
            timeZone: zone
        )
        let grouping = try ReportArguments.grouping(by)
        let store = try await ReportArguments.open(ledger)
        let teams = try await ReportArguments.teams(store, only: team)
        let sums = try await ReportArguments.sums(store, period: period, teamID: teams.id, grouping: grouping)
        let keys = try await ReportArguments.keys(store, grouping: grouping, teamID: teams.id)
        let report = UsageReport(period: period, team: team, grouping: grouping, sums: sums, teams: teams.names, keys: keys)
        try output.emit(report.render(output.format))
    }
}
