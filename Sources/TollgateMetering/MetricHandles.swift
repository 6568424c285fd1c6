import CoreMetrics
import Synchronization

/// The swift-metrics handles `MeteringMetrics` made, by metric name and label values, so each is
/// made once per process instead of once per use.
///
/// Why: making a handle asks the backend for it, and the Prometheus registry takes its lock, builds
/// the metric's name and looks up its label set every time: ~15 handles per stream (admission,
/// budget gauges, settlement, tokens, costs) were ~2.7 % of the gateway's CPU per stream. A handle
/// made twice by racing callers is harmless: the backend hands both the same metric. The cache is
/// bounded by what the backend stores anyway: the catalog's labels are bounded (`TeamLabels`,
/// priced models, fixed outcome names).
final class MetricHandles: Sendable {
    private struct Key: Hashable {
        let name: String
        let values: [String]
    }

    private struct Handles {
        var counters: [Key: Counter] = [:]
        var gauges: [Key: Gauge] = [:]
        var meters: [Key: Meter] = [:]
        var timers: [Key: Timer] = [:]
        var recorders: [Key: Recorder] = [:]
    }

    private let handles = Mutex(Handles())

    func counter(_ name: String, _ values: [String], make: () -> Counter) -> Counter {
        handle(\.counters, Key(name: name, values: values), make)
    }

    func gauge(_ name: String, _ values: [String], make: () -> Gauge) -> Gauge {
        handle(\.gauges, Key(name: name, values: values), make)
    }

    func meter(_ name: String, _ values: [String], make: () -> Meter) -> Meter {
        handle(\.meters, Key(name: name, values: values), make)
    }

    func timer(_ name: String, _ values: [String], make: () -> Timer) -> Timer {
        handle(\.timers, Key(name: name, values: values), make)
    }

    func recorder(_ name: String, _ values: [String], make: () -> Recorder) -> Recorder {
        handle(\.recorders, Key(name: name, values: values), make)
    }

    private func handle<Handle: Sendable>(_ table: WritableKeyPath<Handles, [Key: Handle]> & Sendable, _ key: Key, _ make: () -> Handle) -> Handle {
        if let made = handles.withLock({ $0[keyPath: table][key] }) { return made }
        // Made outside the lock: the backend takes its own.
        let made = make()
        handles.withLock { $0[keyPath: table][key] = made }
        return made
    }
}
