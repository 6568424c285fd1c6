import Foundation
import TollgateCore
import TollgateStorage

/// Copies a SQLite ledger (any `LedgerExport`) into an empty PostgreSQL one and proves the copy: every table's rows,
/// per-team entry counts, tokens and money sums must match, and the rebuilt rollup must equal the
/// copied entries. Alert thresholds and claimed alerts come along. The SQLite file is only read.
public enum LedgerCopy {
    /// Entries per transaction while copying.
    static let pageSize = 5000

    /// Copies `source` into `target`, reporting `(copied, total)` entries as it goes; returns the
    /// totals both ledgers agree on, or throws saying what differs.
    public static func copy(
        from source: some LedgerExport,
        to target: PostgresLedger,
        progress: (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> LedgerTotals {
        guard try await target.isEmpty() else {
            throw LedgerError(
                .rejected,
                "the PostgreSQL ledger at \(target.location) already has teams: copy into an empty database (createdb a new one), so nothing is mixed or counted twice"
            )
        }
        let expected = try await source.ledgerTotals()
        try await target.importTeams(try await source.teams(), keys: try await source.keys(teamID: nil))
        var lastID: Int64 = 0
        var copied: Int64 = 0
        while true {
            let page = try await source.entryPage(afterID: lastID, limit: pageSize)
            guard let last = page.last?.id else { break }
            try await target.importEntries(page)
            lastID = last
            copied += Int64(page.count)
            progress(copied, expected.entries)
        }
        try await target.importReservations(try await source.openReservations(teamID: nil))
        try await copyAlerts(from: source, to: target)
        try await target.finishImport()
        let actual = try await target.ledgerTotals()
        guard actual == expected else {
            throw LedgerError(
                .rejected,
                "the copy does not match: SQLite has \(expected), PostgreSQL has \(actual)\(difference(expected, actual)); drop the PostgreSQL database and run the copy again"
            )
        }
        let rollup = try await target.verifyRollup(from: nil, to: nil)
        guard rollup.matches else {
            throw LedgerError(
                .rejected,
                "the rebuilt rollup disagrees with the copied entries: \(rollup.mismatches.prefix(3).joined(separator: "; "))"
            )
        }
        return actual
    }

    /// Each team's alert thresholds and every alert already claimed, so no threshold fires twice
    /// after the move. Deliveries still pending in SQLite are not carried over: the gateways are
    /// stopped for the copy, and a claimed alert keeps its once-per-period guarantee either way.
    private static func copyAlerts(from source: some LedgerExport, to target: PostgresLedger) async throws {
        let now = Date()
        for team in try await source.teams() {
            if let thresholds = try await source.alertThresholds(teamID: team.id) {
                try await target.setAlertThresholds(teamID: team.id, thresholds, at: now)
            }
        }
        let claimed = try await source.budgetAlerts(teamID: nil, limit: Int(Int32.max))
        _ = try await target.claimAlerts(claimed.reversed(), webhooks: [], at: now)
    }

    private static func difference(_ expected: LedgerTotals, _ actual: LedgerTotals) -> String {
        let teams = Set(expected.byTeam.keys).union(actual.byTeam.keys).sorted()
        guard let team = teams.first(where: { expected.byTeam[$0] != actual.byTeam[$0] }) else { return "" }
        return " (first difference: team \(team), \(expected.byTeam[team]?.entries ?? 0) vs \(actual.byTeam[team]?.entries ?? 0) entries)"
    }
}
