import ArgumentParser
import Foundation
import TollgateReports
import TollgateStorage

extension ReportFormat: ExpressibleByArgument {}

/// `--format` and `--output`, shared by every report.
struct ReportOutputOptions: ParsableArguments {
    @Option(help: "Output format: table, json, csv, markdown or html.") var format: ReportFormat = .table
    @Option(help: "Write the report to this file instead of stdout.") var output: String?

    /// Prints the report, or writes it to `--output` and says so.
    func emit(_ text: String) throws {
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } catch {
            throw CLIError("cannot write the report to '\(output)' (\(error.localizedDescription)): check the folder exists and is writable")
        }
        print("Wrote the \(format.rawValue) report to \(output).")
    }
}

/// Parsing and ledger access shared by the report commands.
enum ReportArguments {
    static func grouping(_ text: String?) throws -> ReportGrouping {
        guard let text else { return .teamModel }
        guard let grouping = ReportGrouping(rawValue: text.lowercased()) else {
            throw CLIError("--by '\(text)' is not a grouping: use team, model, day, key or team-model")
        }
        return grouping
    }

    /// Opens an existing ledger; a report never creates an empty one by mistake.
    static func open(_ options: LedgerOptions) async throws -> any LedgerDatabase {
        if options.resolvedDatabaseURL != nil { return try await options.open() }
        let path = options.resolvedPath
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("no ledger at '\(path)': pass --db PATH or set TOLLGATE_DB to the ledger file to report on")
        }
        return try await options.open()
    }

    /// Team names by id, and the id of `team` when one is asked for (unknown names fail clearly).
    static func teams(_ store: some ReportStore, only team: String?) async throws -> (names: [Int64: String], id: Int64?) {
        let names = Dictionary(uniqueKeysWithValues: try await store.teams().map { ($0.id, $0.name) })
        guard let team else { return (names, nil) }
        return (names, try await store.team(named: team).id)
    }

    /// The usage sums of `period`'s buckets (per key too for `--by key`), with progress on a
    /// terminal while they are read.
    static func sums(
        _ store: some ReportStore,
        period: ReportPeriod,
        teamID: Int64?,
        grouping: ReportGrouping = .teamModel
    ) async throws -> [UsageSum] {
        let progress = TerminalProgress(label: "Reading \(period.name)")
        progress.stage()
        defer { progress.finish() }
        if grouping == .key { return try await store.keySums(across: period.boundaries, teamID: teamID) }
        return try await store.usageSums(across: period.boundaries, teamID: teamID)
    }

    /// Key prefixes by id, for rows per key; empty for any other grouping.
    static func keys(_ store: some ReportStore, grouping: ReportGrouping, teamID: Int64?) async throws -> [Int64: String] {
        guard grouping == .key else { return [:] }
        return Dictionary(try await store.keys(teamID: teamID).map { ($0.id, $0.prefix) }, uniquingKeysWith: { first, _ in first })
    }
}
