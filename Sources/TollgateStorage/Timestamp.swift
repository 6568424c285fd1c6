import Foundation

/// Instants as the ledger stores them: whole milliseconds since 1970 UTC, in `INTEGER` columns.
///
/// Integers index and compare fast in every engine and never depend on a text format.
package enum Timestamp {
    package static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    package static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
    }

    /// Window bounds as milliseconds; an open end is the largest instant.
    package static func bounds(_ start: Date?, _ end: Date?) -> (Int64, Int64) {
        let lower = start.map { $0 == .distantPast ? Int64.min : millis($0) } ?? Int64.min
        let upper = end.map(millis) ?? Int64.max
        return (lower, upper)
    }
}
