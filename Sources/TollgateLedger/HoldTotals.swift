import GRDB

/// What one transaction's hold writes change in `reservation_totals` (migration 0004), summed per
/// team and currency and written once each, in that transaction.
///
/// Why not the triggers 0004 had: a batch of 200 admissions of one team ran 200 upserts of the same
/// row (and a settlement batch 200 updates); summed, it is one. Migration 0014 dropped them, so every
/// write to `reservations` must go through here. A reader of the totals inside the same transaction
/// (admission reads them for a team's first request, and for stream limits) writes what is pending
/// first, so it reads what the triggers would have left.
struct HoldTotals {
    private struct Key: Hashable {
        let teamID: Int64
        let currency: String
    }

    private var deltas: [Key: (nanos: Int64, holds: Int64)] = [:]

    /// Counts `holds` holds (negative when removed) of `nanos` in all.
    mutating func add(teamID: Int64, currency: String, nanos: Int64, holds: Int64) {
        let key = Key(teamID: teamID, currency: currency)
        let sum = deltas[key] ?? (0, 0)
        deltas[key] = (sum.nanos + nanos, sum.holds + holds)
    }

    /// Writes what is pending and starts over; nothing is written when nothing changed.
    mutating func write(into db: Database) throws {
        guard !deltas.isEmpty else { return }
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO reservation_totals (team_id, currency, held_nanos, open_holds) VALUES (?, ?, ?, ?)
                ON CONFLICT (team_id, currency) DO UPDATE SET
                    held_nanos = held_nanos + excluded.held_nanos, open_holds = open_holds + excluded.open_holds
                """
        )
        // Team order, so the writes are the same whatever order the dictionary hands them out in.
        for (key, sum) in deltas.sorted(by: { ($0.key.teamID, $0.key.currency) < ($1.key.teamID, $1.key.currency) })
        where sum.nanos != 0 || sum.holds != 0 {
            try upsert.execute(arguments: [key.teamID, key.currency, sum.nanos, sum.holds])
        }
        deltas.removeAll(keepingCapacity: true)
    }
}
