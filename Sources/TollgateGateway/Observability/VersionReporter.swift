import Foundation
import Synchronization
import TollgateCore
import TollgateMetering

/// Sets `tollgate_pricing_version_info`: 1 for the pair in force now, 0 for the pair before.
public final class VersionReporter: Sendable {
    private let metrics: MeteringMetrics
    private let last = Mutex<(price: String, fx: String)?>(nil)

    /// Creates a reporter.
    public init(metrics: MeteringMetrics) { self.metrics = metrics }

    /// Reports the versions `table` has in force now (a future-dated version comes into force on the next poll).
    public func report(_ table: PricingTable, at instant: Date = Date()) {
        let price = (try? table.priceVersion(at: instant).id) ?? "none"
        let fx = (try? table.fxVersion(at: instant).id) ?? "none"
        let previous = last.withLock { state in
            defer { state = (price, fx) }
            return state
        }
        if let previous, previous != (price, fx) { metrics.gauge(.pricingVersionInfo, previous.price, previous.fx).record(0) }
        metrics.gauge(.pricingVersionInfo, price, fx).record(1)
    }
}
