import CoreMetrics
import Prometheus
import TollgateMetering

/// The gateway's Prometheus registry, served at `GET /metrics`, and the swift-metrics factory that
/// writes into it. Each gateway owns one, so tests running several gateways never share counters
/// and nothing calls the process-wide `MetricsSystem.bootstrap`.
///
///     let metrics = GatewayMetrics()
///     let writer = LedgerWriter(store: ledger, metrics: metrics.metering)
///     let client = MeteredClient(..., writer: writer)          // reports through the writer's metrics
///     let app = buildGateway(settings: settings, metering: client, metrics: metrics)
public struct GatewayMetrics: Sendable {
    /// Where every metric lives; `emitToString()` is the exposition text.
    public let registry: PrometheusCollectorRegistry
    /// The swift-metrics backend writing into `registry` (help texts and buckets from `MetricCatalog`).
    public let factory: any MetricsFactory
    /// The metering layer's view of the same backend; give it to `LedgerWriter`, `MeteredClient`, `LeaseReclaimer`.
    public let metering: MeteringMetrics

    /// Creates an empty registry.
    public init(maxTeamLabels: Int = 500) {
        registry = PrometheusCollectorRegistry()
        factory = CatalogPrometheusFactory(registry: registry)
        metering = MeteringMetrics(factory: factory, maxTeamLabels: maxTeamLabels)
    }

    /// The Prometheus text exposition of every metric now.
    public func exposition() -> String { registry.emitToString() }
}
