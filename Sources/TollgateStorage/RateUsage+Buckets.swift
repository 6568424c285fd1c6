import Foundation
import TollgateCore

extension RateUsage {
    /// The last epoch second outside the window at `now`: per-second buckets later than it count.
    /// Whole seconds as both engines' triggers bucket them (`occurred_at / 1000`), so a request
    /// counts until the 60th second after the one it was admitted in, never shorter than 59 s.
    package static func windowStart(_ now: Date) -> Int64 {
        Timestamp.millis(now) / 1000 - Int64(window)
    }

    /// Whether admission must count a request against `limits` of its team or key: then its hold
    /// carries `estimated_tokens`, which the bucket triggers count (migrations sqlite 0012 / postgres 0009).
    package static func counts(team: RateLimits, key: RateLimits?) -> Bool {
        team.isWindowed || (key?.isWindowed ?? false)
    }
}
