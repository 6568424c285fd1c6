/// A ledger that can be read out whole and totalled: what a copy to another engine reads page by
/// page, then checks itself against (`tollgate ledger migrate-to-postgres`).
public protocol LedgerExport: LedgerDatabase {
    /// Entries with an id above `afterID`, by id, at most `limit`: how a copy pages through the ledger.
    func entryPage(afterID: Int64, limit: Int) async throws -> [LedgerEntry]
    /// Row counts and per-team sums, to compare with a copy.
    func ledgerTotals() async throws -> LedgerTotals
}
