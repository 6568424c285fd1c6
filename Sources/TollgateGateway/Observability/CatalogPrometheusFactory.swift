import CoreMetrics
import Prometheus
import TollgateMetering

/// A swift-metrics backend writing into one Prometheus registry, with each Tollgate metric's
/// `# HELP` text and histogram buckets from `MetricCatalog`. Metrics outside the catalog (from
/// other libraries) get no help text and swift-prometheus's default buckets.
struct CatalogPrometheusFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry
    private let fallback: PrometheusMetricsFactory

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.fallback = PrometheusMetricsFactory(registry: registry)
    }

    private static func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: MetricCatalog.named(label)?.help ?? "")
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: Self.descriptor(label), labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: Self.descriptor(label), labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: Self.descriptor(label), labels: dimensions) }
        guard let buckets = MetricCatalog.named(label)?.buckets, !buckets.isEmpty else {
            return fallback.makeRecorder(label: label, dimensions: dimensions, aggregate: true)
        }
        return registry.makeValueHistogram(descriptor: Self.descriptor(label), labels: dimensions, buckets: buckets)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: Self.descriptor(label), labels: dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        guard let buckets = MetricCatalog.named(label)?.buckets, !buckets.isEmpty else {
            return fallback.makeTimer(label: label, dimensions: dimensions)
        }
        let durations = buckets.map { Duration.nanoseconds(Int64(($0 * 1e9).rounded())) }
        return registry.makeDurationHistogram(descriptor: Self.descriptor(label), labels: dimensions, buckets: durations)
    }

    func destroyCounter(_ handler: any CounterHandler) { fallback.destroyCounter(handler) }
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { fallback.destroyFloatingPointCounter(handler) }
    func destroyRecorder(_ handler: any RecorderHandler) { fallback.destroyRecorder(handler) }
    func destroyMeter(_ handler: any MeterHandler) { fallback.destroyMeter(handler) }
    func destroyTimer(_ handler: any TimerHandler) { fallback.destroyTimer(handler) }
}
