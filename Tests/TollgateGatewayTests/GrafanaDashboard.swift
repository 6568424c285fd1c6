import Foundation
import TollgateMetering

/// `dashboards/tollgate.json`, read as Grafana would import it: its panels and their PromQL.
struct GrafanaDashboard {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("dashboards/tollgate.json")

    struct Target {
        let panel: String
        let refID: String
        let expr: String
    }

    let json: [String: Any]

    init() throws {
        guard let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.file)) as? [String: Any] else {
            throw HarnessFailure(description: "\(Self.file.path) is not a JSON object")
        }
        self.json = json
    }

    /// Panels other than rows.
    var panels: [[String: Any]] {
        (json["panels"] as? [[String: Any]] ?? []).filter { $0["type"] as? String != "row" }
    }

    var targets: [Target] {
        panels.flatMap { panel in
            (panel["targets"] as? [[String: Any]] ?? []).map {
                Target(panel: panel["title"] as? String ?? "?", refID: $0["refId"] as? String ?? "?", expr: $0["expr"] as? String ?? "")
            }
        }
    }

    /// Grafana's variables replaced as Grafana would for "All" over a recent window.
    static func evaluable(_ expr: String) -> String {
        expr.replacingOccurrences(of: "$__rate_interval", with: "1m")
            .replacingOccurrences(of: "$__range", with: "1h")
            .replacingOccurrences(of: "$team", with: ".*")
            .replacingOccurrences(of: "$model", with: ".*")
    }

    /// Metric names an expression reads (ours all start `tollgate_` or `gen_ai_`); label names
    /// such as `gen_ai_request_model` look alike and are left out.
    static func metricNames(in expr: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: #"\b(?:tollgate|gen_ai)_[a-z0-9_]+\b"#)
        let range = NSRange(expr.startIndex..., in: expr)
        let labels = Set(MetricCatalog.all.flatMap(\.labels))
        return Set(pattern.matches(in: expr, range: range).compactMap { Range($0.range, in: expr).map { String(expr[$0]) } }).subtracting(labels)
    }
}
