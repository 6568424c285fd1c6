import Foundation
import TollgateCore

/// What reports read from the ledger, by intent: sums over time windows, and a self-check.
///
/// A store answers from whatever it keeps in step with the entries (SQLite: 15-minute rollups plus
/// the raw entries at unaligned edges), and the answer must equal summing the raw entries.
public protocol ReportStore: LedgerStore {
    /// Sums of entries per window, team, model, kind and versions, over consecutive windows
    /// `[boundaries[i], boundaries[i + 1])`; only `teamID`'s entries when it is given.
    /// Keys with no entries are left out.
    func usageSums(across boundaries: [Date], teamID: Int64?) async throws -> [UsageSum]

    /// The same sums also per key (`UsageSum.keyID`), from the raw entries: the rollup keeps no
    /// key, so this reads every entry of the windows (indexed by time).
    func keySums(across boundaries: [Date], teamID: Int64?) async throws -> [UsageSum]

    /// Recomputes the rollup from the raw entries with `occurred_at` in `[from, to)` (widened to
    /// whole buckets; `nil` is open) and compares every key.
    func verifyRollup(from: Date?, to: Date?) async throws -> RollupCheck

    /// The earliest and latest `occurred_at` in the ledger, or `nil` when it is empty.
    func entrySpan() async throws -> (first: Date, last: Date)?

    /// Usage entries with `occurred_at` in `[from, to)` whose upstream report settlement judged
    /// (`usageCheck` set: invalid, overrun, under-reported), oldest first, at most `limit`.
    func checkedEntries(from: Date, to: Date, limit: Int) async throws -> [LedgerEntry]

    /// Usage entries with `occurred_at` in `[from, to)` and one of `outcomes`, counted per model
    /// and outcome, ordered by model then outcome.
    func outcomeCounts(_ outcomes: [String], from: Date, to: Date) async throws -> [OutcomeCount]
}
