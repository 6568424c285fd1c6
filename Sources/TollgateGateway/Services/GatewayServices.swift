import Logging
import ServiceLifecycle
import TollgateAdmin
import TollgateCore
import TollgateMetering
import UnixSignals

/// Everything a gateway runs, in the one order that settles every stream before exit: what
/// `tollgate serve`, `tollgate demo` and the gateway tests all run.
///
/// A `ServiceGroup` starts its services in order and stops them in reverse, so the HTTP server (last)
/// stops first: it drains its open streams within the shutdown grace, each settling through the
/// ledger writer (first), which stops last and flushes what is pending. The alert service, listed
/// before the server too, claims the alerts of those last settlements before it stops.
public struct GatewayServices: Sendable {
    /// The services in start order: ledger writer, lease reclaimer, budget alerts, budget gauges,
    /// pricing reload, and the HTTP server under its shutdown grace.
    public let services: [any Service]
    /// Reclaims the holds of crashed processes; `serve` runs it once before listening, so a budget a
    /// dead process held is free from the first request (the reclaimer service then sweeps on).
    public let reclaimer: LeaseReclaimer

    /// Composes the services around `buildGateway`.
    ///
    /// - Parameters:
    ///   - settings: Address, admin token, limits, and the shutdown grace (the server is cancelled
    ///     3 s after it, the backstop for an upstream stalled between events).
    ///   - metering: The budget-enforced client; its writer, store, live pricing and metrics feed the
    ///     writer, reclaimer, alert, gauge and reload services.
    ///   - metrics: The registry served at `GET /metrics`; `nil`: no `/metrics` route.
    ///   - observers: Where endpoints report; the alert service drains its monitor.
    ///   - alerts: Where budget alerts go (none: claimed and logged only).
    ///   - gaugeInterval: Time between refreshes of every team's budget gauges.
    ///   - pricingFiles: Reads the pricing files `metering.livePricing` was loaded from, polled and
    ///     re-read on SIGHUP (the built-in files when there is no pricing folder).
    ///   - onServerRunning: Called with the bound port once listening.
    ///   - logger: The logger of the server and every service.
    public init(
        settings: GatewaySettings,
        metering: MeteredClient,
        metrics: GatewayMetrics? = nil,
        observers: GatewayObservers = GatewayObservers(),
        alerts: BudgetAlertSettings = BudgetAlertSettings(),
        gaugeInterval: Duration = .seconds(15),
        pricingFiles: @escaping @Sendable () throws -> [PricingFile],
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in },
        logger: Logger = Logger(label: "tollgate.gateway")
    ) {
        let live = metering.livePricing
        let admin = QuotaAdmin(store: metering.store, currentPricing: { live.table })
        reclaimer = LeaseReclaimer(store: metering.store, livePricing: live, metrics: metering.metrics)
        let app = buildGateway(
            settings: settings,
            metering: metering,
            metrics: metrics,
            observers: observers,
            onServerRunning: onServerRunning,
            logger: logger
        )
        services = [
            LedgerWriterService(writer: metering.writer),
            LeaseReclaimerService(reclaimer: reclaimer, interval: min(.seconds(30), metering.writer.leaseDuration), logger: logger),
            BudgetAlertService(admin: admin, monitor: observers.alerts, settings: alerts, logger: logger),
            BudgetGaugeService(admin: admin, metrics: metering.metrics, interval: gaugeInterval, logger: logger),
            // Also for the built-in table (which never changes): it keeps the version metric current as
            // a future-dated version comes into force, and SIGHUP is answered rather than fatal.
            PricingReloadService(live: live, read: pricingFiles, metrics: metering.metrics, logger: logger),
            ShutdownGrace(app, grace: settings.shutdownGrace + .seconds(3)),
        ]
    }

    /// The group that runs the services; `gracefulShutdownSignals` start the drain (`serve`: SIGTERM
    /// and SIGINT), or call `triggerGracefulShutdown()` on it.
    public func group(gracefulShutdownSignals: [UnixSignal] = [], logger: Logger) -> ServiceGroup {
        ServiceGroup(services: services, gracefulShutdownSignals: gracefulShutdownSignals, cancellationSignals: [], logger: logger)
    }
}
