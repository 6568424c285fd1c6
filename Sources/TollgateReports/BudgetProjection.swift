import Foundation
import TollgateCore

/// Where a budget is heading at the current rate of spend, in integer arithmetic.
///
/// Projected spend = spent ÷ elapsed × period length; the budget runs out at
/// start + elapsed × limit ÷ spent. Total budgets never reset, so they have neither.
public struct BudgetProjection: Sendable, Hashable {
    /// Spend at the end of the period if the rate so far continues, rounded up to a whole nano.
    public let projectedSpend: Money?
    /// When the budget runs out at that rate, if before the period ends (or `now` if already spent).
    public let runsOutAt: Date?

    /// Projects `status` from its window start to `now`.
    public init(_ status: BudgetStatus, now: Date) {
        guard let end = status.window.end else {
            projectedSpend = nil
            runsOutAt = nil
            return
        }
        let start = Int128(Self.millis(status.window.start))
        let finish = Int128(Self.millis(end))
        let elapsed = min(Int128(Self.millis(now)), finish) - start
        guard elapsed > 0 else {
            projectedSpend = nil
            runsOutAt = nil
            return
        }
        let spent = Int128(status.spent.nanos)
        let limit = Int128(status.limit.nanos)
        let projected = spent <= 0 ? Int128(0) : ExactDivision.ceiling(spent * (finish - start), elapsed)
        projectedSpend = Int64(exactly: projected).map { Money(nanos: $0, status.limit.currency) }
        if spent >= limit {
            runsOutAt = now
        } else if spent > 0, projected > limit {
            let instant = start + ExactDivision.ceiling(elapsed * limit, spent)
            runsOutAt = Date(timeIntervalSince1970: TimeInterval(Int64(instant)) / 1000)
        } else {
            runsOutAt = nil
        }
    }

    private static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}
