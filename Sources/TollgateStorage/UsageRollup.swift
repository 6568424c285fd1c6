import TollgateCore

/// The usage rollup's keys and sums, the same for every engine: entries are summed per 15-minute
/// bucket, team, model, kind and versions. Each store keeps its own rollup table with them, inside
/// the transaction that appends the entries (SQLite: `UsageRollup.add`; PostgreSQL: `PostgresRollup`).
package enum UsageRollup {
    /// Bucket width: 15 minutes, the greatest common step of every real time zone offset.
    package static let bucketMillis: Int64 = 900_000

    /// The start of the bucket holding `millis` (floor, also for instants before 1970).
    package static func bucket(_ millis: Int64) -> Int64 {
        millis - ((millis % bucketMillis) + bucketMillis) % bucketMillis
    }

    /// The first bucket boundary at or after `millis`.
    package static func ceilingBoundary(_ millis: Int64) -> Int64 {
        let floor = bucket(millis)
        return floor == millis ? millis : floor + bucketMillis
    }

    /// One rollup row's identity. Text parts use "" for none, as the table does.
    package struct Key: Hashable {
        package var bucket: Int64
        package var teamID: Int64
        package var model: String
        package var kind: String
        package var priceVersion: String
        package var fxVersion: String

        package init(_ entry: LedgerEntry) {
            bucket = UsageRollup.bucket(Timestamp.millis(entry.occurredAt))
            teamID = entry.teamID
            model = entry.model?.rawValue ?? ""
            kind = entry.kind.rawValue
            priceVersion = entry.priceVersion ?? ""
            fxVersion = entry.fxVersion ?? ""
        }

        /// A key from its parts, as another store reads them back.
        package init(bucket: Int64, teamID: Int64, model: String, kind: String, priceVersion: String, fxVersion: String) {
            self.bucket = bucket
            self.teamID = teamID
            self.model = model
            self.kind = kind
            self.priceVersion = priceVersion
            self.fxVersion = fxVersion
        }
    }

    /// Sums `entries` per key; consecutive entries usually share a key, so that case skips hashing.
    package static func sums(_ entries: [LedgerEntry]) -> [Key: UsageTotals] {
        var sums: [Key: UsageTotals] = [:]
        var current: (key: Key, totals: UsageTotals)?
        for entry in entries {
            let key = Key(entry)
            if current?.key == key {
                current!.totals += UsageTotals(entry)
            } else {
                if let current { sums[current.key, default: UsageTotals()] += current.totals }
                current = (key, UsageTotals(entry))
            }
        }
        if let current { sums[current.key, default: UsageTotals()] += current.totals }
        return sums
    }
}
