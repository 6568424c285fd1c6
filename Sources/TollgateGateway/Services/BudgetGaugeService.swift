import Logging
import ServiceLifecycle
import TollgateAdmin
import TollgateMetering

/// Refreshes every team's budget gauges (limit, spent, reserved, remaining) from the ledger now and
/// then every `interval`. Admissions update their team's gauges at once; this catches settlements,
/// credits, budget changes, period resets and teams nobody streams for.
public struct BudgetGaugeService: Service {
    /// Reads team statuses.
    public let admin: QuotaAdmin
    /// Where the gauges go.
    public let metrics: MeteringMetrics
    /// Time between refreshes.
    public let interval: Duration
    /// Where a failed refresh is reported.
    public let logger: Logger

    /// Creates the service.
    public init(admin: QuotaAdmin, metrics: MeteringMetrics, interval: Duration = .seconds(15), logger: Logger = Logger(label: "tollgate.metrics")) {
        self.admin = admin
        self.metrics = metrics
        self.interval = interval
        self.logger = logger
    }

    /// Refreshes every team's gauges once.
    public func refresh() async throws {
        for status in try await admin.teamStatuses() {
            metrics.budget(team: status.team.name, status: status.budget)
        }
    }

    /// Refreshes until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await refresh()
                } catch {
                    logger.error("refreshing budget gauges failed: \(error)")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
