import Foundation
import Logging
import ServiceLifecycle
import TollgateCore
import TollgateMetering
import UnixSignals

/// Keeps `serve`'s pricing table in step with its folder: every `interval` it reads the folder and,
/// when a file changed, checks the whole table and swaps it in; on SIGHUP it re-checks at once,
/// changed or not. A folder that fails the check is refused and logged, `/readyz` shows why, and
/// the table in force stays. Streams already admitted keep the table they were admitted under.
public struct PricingReloadService: Service {
    /// The table the gateway reads.
    public let live: LivePricing
    /// Reads the folder's files (the CLI's reader, so `pricing check` and reload see the same files).
    public let read: @Sendable () throws -> [PricingFile]
    /// Time between polls of the folder.
    public let interval: Duration
    /// Where `tollgate_pricing_version_info` and refusals are reported.
    public let metrics: MeteringMetrics
    /// Where swaps and refusals are logged.
    public let logger: Logger

    /// Creates the service; `interval` defaults to 2 s (a file change is in force within it).
    public init(
        live: LivePricing,
        read: @escaping @Sendable () throws -> [PricingFile],
        interval: Duration = .seconds(2),
        metrics: MeteringMetrics,
        logger: Logger = Logger(label: "tollgate.pricing")
    ) {
        self.live = live
        self.read = read
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
    }

    /// Polls and answers SIGHUP until graceful shutdown.
    public func run() async throws {
        let reporter = VersionReporter(metrics: metrics)
        reporter.report(live.table)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in await UnixSignalsSequence(trapping: .sighup) {
                        check(force: true, reason: "SIGHUP", reporter: reporter)
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        check(force: false, reason: "the folder changed", reporter: reporter)
                    }
                }
                await group.waitForAll()
            }
        }
    }

    /// One reload attempt; public so tests and `serve` drive it without waiting for a poll.
    public func check(force: Bool, reason: String, reporter: VersionReporter? = nil) {
        let reporter = reporter ?? VersionReporter(metrics: metrics)
        let files: [PricingFile]
        do { files = try read() } catch {
            metrics.counter(.pricingReloadFailures).increment()
            live.refuse("cannot read the pricing folder: \(error)")
            logger.error("pricing reload (\(reason)) refused: cannot read the folder: \(error); the table in force stays")
            return
        }
        switch live.reload(files, force: force) {
        case .unchanged: break
        case .replaced:
            let table = live.table
            logger.notice(
                "pricing reloaded (\(reason)): price version \((try? table.priceVersion(at: Date()).id) ?? "none") in force, \(table.catalog.ids.count) models"
            )
        case .refused(let why):
            metrics.counter(.pricingReloadFailures).increment()
            logger.error("pricing reload (\(reason)) refused; the table in force stays:\n\(why)")
        }
        reporter.report(live.table)
    }
}
