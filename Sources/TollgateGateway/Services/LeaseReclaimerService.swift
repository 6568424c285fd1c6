import Logging
import ServiceLifecycle
import TollgateMetering

/// Reclaims the holds of crashed processes once at startup and then every `interval`, so a budget
/// never stays blocked by a stream nobody is serving.
public struct LeaseReclaimerService: Service {
    /// The reclaimer.
    public let reclaimer: LeaseReclaimer
    /// Time between sweeps.
    public let interval: Duration
    /// Where sweeps that reclaimed something, or failed, are reported.
    public let logger: Logger

    /// Creates the service.
    public init(reclaimer: LeaseReclaimer, interval: Duration = .seconds(30), logger: Logger = Logger(label: "tollgate.reclaimer")) {
        self.reclaimer = reclaimer
        self.interval = interval
        self.logger = logger
    }

    /// Sweeps until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let entries = try await reclaimer.reclaim()
                    if !entries.isEmpty { logger.notice("reclaimed \(entries.count) expired holds of streams whose process died") }
                } catch {
                    logger.error("reclaiming expired holds failed: \(error)")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
