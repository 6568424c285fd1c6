import CoreMetrics
import Synchronization
import TollgateCore

/// Where the metering layer reports what happens, through swift-metrics: the library never picks a
/// backend. The gateway passes a Prometheus-backed factory; without one, `MetricsSystem.factory`
/// (a no-op until the application bootstraps it) is used.
///
/// Labels are bounded: models are priced models only, and teams beyond `maxTeamLabels` distinct
/// names share the label `_other`. Keys, prompts and request ids never become labels.
public struct MeteringMetrics: Sendable {
    /// The swift-metrics backend.
    public let factory: any MetricsFactory
    private let teams: TeamLabels
    private let handles = MetricHandles()

    /// Creates metrics reporting to `factory`.
    public init(factory: any MetricsFactory = MetricsSystem.factory, maxTeamLabels: Int = 500) {
        self.factory = factory
        self.teams = TeamLabels(limit: maxTeamLabels)
    }

    /// The `team` label for a team name: itself while there is room, `_other` after.
    public func teamLabel(_ name: String) -> String { teams.label(name) }

    /// A counter of the catalog metric with these label values (in the catalog's label order).
    public func counter(_ metric: MetricCatalog, _ values: String...) -> Counter {
        handles.counter(metric.name, values) { Counter(label: metric.name, dimensions: Self.dimensions(metric, values), factory: factory) }
    }

    /// A gauge (last value wins) of the catalog metric.
    public func gauge(_ metric: MetricCatalog, _ values: String...) -> Gauge {
        handles.gauge(metric.name, values) { Gauge(label: metric.name, dimensions: Self.dimensions(metric, values), factory: factory) }
    }

    /// An up-and-down gauge of the catalog metric.
    public func meter(_ metric: MetricCatalog, _ values: String...) -> Meter {
        handles.meter(metric.name, values) { Meter(label: metric.name, dimensions: Self.dimensions(metric, values), factory: factory) }
    }

    /// A histogram of durations of the catalog metric.
    public func timer(_ metric: MetricCatalog, _ values: String...) -> Timer {
        handles.timer(metric.name, values) { Timer(label: metric.name, dimensions: Self.dimensions(metric, values), factory: factory) }
    }

    /// A histogram of values of the catalog metric.
    public func histogram(_ metric: MetricCatalog, _ values: String...) -> Recorder {
        handles.recorder(metric.name, values) {
            Recorder(label: metric.name, dimensions: Self.dimensions(metric, values), aggregate: true, factory: factory)
        }
    }

    private static func dimensions(_ metric: MetricCatalog, _ values: [String]) -> [(String, String)] {
        precondition(values.count == metric.labels.count, "\(metric.name) takes labels \(metric.labels)")
        return Array(zip(metric.labels, values))
    }
}

/// The distinct team names that may be labels; a bounded set so a script creating thousands of
/// teams cannot blow up the metrics backend.
final class TeamLabels: Sendable {
    static let overflow = "_other"
    private let limit: Int
    private let seen = Mutex(Set<String>())

    init(limit: Int) { self.limit = limit }

    func label(_ name: String) -> String {
        seen.withLock { seen in
            if seen.contains(name) { return name }
            guard seen.count < limit else { return Self.overflow }
            seen.insert(name)
            return name
        }
    }
}
