import Foundation
import Testing
import TollgateCore
import TollgateGateway
import TollgateMetering

@Suite("Grafana dashboard")
struct DashboardStructureTests {
    @Test("dashboards/tollgate.json is importable: datasource input, unique ids, no overlapping panels, every panel wired to it with PromQL")
    func structure() throws {
        let dashboard = try GrafanaDashboard()
        let inputs = try #require(dashboard.json["__inputs"] as? [[String: Any]])
        #expect(
            inputs.contains {
                $0["name"] as? String == "DS_PROMETHEUS" && $0["type"] as? String == "datasource" && $0["pluginId"] as? String == "prometheus"
            }
        )
        #expect(dashboard.json["uid"] as? String == "tollgate-overview")
        #expect(dashboard.json["title"] as? String == "Tollgate")
        #expect((dashboard.json["schemaVersion"] as? Int ?? 0) >= 36)
        let all = try #require(dashboard.json["panels"] as? [[String: Any]])
        let ids = all.compactMap { $0["id"] as? Int }
        #expect(ids.count == all.count && Set(ids).count == ids.count, "every panel has a unique id")
        #expect(dashboard.panels.count >= 20)
        for panel in dashboard.panels {
            let title = panel["title"] as? String ?? "?"
            #expect((panel["datasource"] as? [String: Any])?["uid"] as? String == "${DS_PROMETHEUS}", "\(title)")
            let grid = try #require(panel["gridPos"] as? [String: Int], "\(title)")
            #expect(grid["w"].map { 1...24 ~= $0 } == true && (grid["x"] ?? 99) + (grid["w"] ?? 99) <= 24, "\(title)")
            let targets = try #require(panel["targets"] as? [[String: Any]], "\(title)")
            #expect(!targets.isEmpty, "\(title)")
            #expect(Set(targets.compactMap { $0["refId"] as? String }).count == targets.count, "\(title)")
            for target in targets {
                #expect((target["datasource"] as? [String: Any])?["uid"] as? String == "${DS_PROMETHEUS}", "\(title)")
                #expect(!(target["expr"] as? String ?? "").isEmpty, "\(title)")
            }
        }
        var occupied: [String: String] = [:]
        for panel in all {
            let grid = panel["gridPos"] as? [String: Int] ?? [:]
            for x in (grid["x"] ?? 0)..<((grid["x"] ?? 0) + (grid["w"] ?? 0)) {
                for y in (grid["y"] ?? 0)..<((grid["y"] ?? 0) + (grid["h"] ?? 0)) {
                    let title = panel["title"] as? String ?? "?"
                    #expect(occupied.updateValue(title, forKey: "\(x),\(y)") == nil, "\(title) overlaps another panel")
                }
            }
        }
        let variables = try #require((dashboard.json["templating"] as? [String: Any])?["list"] as? [[String: Any]])
        #expect(Set(variables.compactMap { $0["name"] as? String }) == ["team", "model"])
    }

    @Test("docs/metrics.md documents every metric in MetricCatalog, with its labels")
    func documented() throws {
        let docs = try String(
            contentsOf: GrafanaDashboard.file.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/metrics.md"),
            encoding: .utf8
        )
        for metric in MetricCatalog.all {
            let row = docs.split(separator: "\n").first { $0.hasPrefix("| `\(metric.name)` |") }
            #expect(row != nil, "\(metric.name) has no row in docs/metrics.md")
            for label in metric.labels { #expect(row?.contains("`\(label)`") == true, "\(metric.name): label \(label) undocumented") }
            #expect(row?.contains("| \(metric.kind.rawValue) |") == true, "\(metric.name) is a \(metric.kind.rawValue)")
        }
    }

    @Test("every metric a panel or variable names is one Tollgate emits (histograms by their _bucket/_sum/_count series)")
    func namesAreReal() throws {
        let dashboard = try GrafanaDashboard()
        let variables = ((dashboard.json["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []).compactMap {
            $0["definition"] as? String
        }
        let names = (dashboard.targets.map(\.expr) + variables).reduce(into: Set<String>()) { $0.formUnion(GrafanaDashboard.metricNames(in: $1)) }
        #expect(!names.isEmpty)
        for name in names {
            let base = ["_bucket", "_sum", "_count"].reduce(name) { $0.hasSuffix($1) ? String($0.dropLast($1.count)) : $0 }
            let entry = MetricCatalog.named(name) ?? MetricCatalog.named(base)
            #expect(entry != nil, "\(name) is not in MetricCatalog")
            if entry?.name == base, base != name { #expect(entry?.kind == .histogram, "\(name)") }
        }
    }
}

@Suite(
    "Grafana panels against a real Prometheus",
    .enabled(if: PrometheusServer.available, "prometheus not installed (apt-get install prometheus): the panel PromQL check is skipped")
)
struct DashboardPrometheusTests {
    @Test("Prometheus scrapes a gateway under simulator load; every panel's PromQL returns data and names only metrics /metrics has")
    func everyPanelReturnsData() async throws {
        let scrapeToken = "scrape-secret-for-tests"
        try await GatewayHarness.run(metricsAccess: .token(scrapeToken), flakyRelay: FlakyRelay()) { harness async throws in
            let dashboard = try GrafanaDashboard()
            let prometheus = try await PrometheusServer(scraping: harness.port, bearerToken: scrapeToken)
            do {
                try await Self.load(harness, round: 1)
                try await Task.sleep(for: .seconds(2))
                try await Self.load(harness, round: 2)

                let exposition = try await harness.send(.GET, "/metrics", key: scrapeToken).body
                for target in dashboard.targets {
                    for name in GrafanaDashboard.metricNames(in: target.expr) {
                        #expect(
                            exposition.contains("\n" + name + "{") || exposition.contains("\n" + name + " "),
                            "\(target.panel) \(target.refID): \(name) is not in /metrics"
                        )
                    }
                }

                // Prometheus needs a couple of scrapes after the load for rates; poll until each query has data.
                var empty = dashboard.targets
                let deadline = ContinuousClock.now + .seconds(30)
                while !empty.isEmpty, ContinuousClock.now < deadline {
                    var still: [GrafanaDashboard.Target] = []
                    for target in empty where try await prometheus.query(GrafanaDashboard.evaluable(target.expr)).isEmpty {
                        still.append(target)
                    }
                    empty = still
                    if !empty.isEmpty { try await Task.sleep(for: .seconds(1)) }
                }
                #expect(empty.isEmpty, "panels without data: \(empty.map { "\($0.panel) \($0.refID): \($0.expr)" })")
                let up = try await prometheus.query(#"up{job="tollgate"}"#)
                #expect((up.first?["value"] as? [Any])?.last as? String == "1", "the scrape with the bearer token succeeds")
            } catch {
                await prometheus.stop()
                throw error
            }
            await prometheus.stop()
        }
    }

    /// A short, bounded mix: completed streams and answers for two teams, a soft budget cut, a
    /// budget rejection, a bad key, and a model whose relay drops mid-stream.
    static func load(_ harness: GatewayHarness, round: Int) async throws {
        let frugal = try await harness.team("frugal-\(round)", budget: "0.0003", policy: .soft)
        let broke = try await harness.team("broke-\(round)", budget: "0.0001", policy: .reject)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask {
                    let key = index.isMultiple(of: 2) ? harness.alphaKey : harness.betaKey
                    let model = ["gpt-4.1", "deepseek-v3.2", "claude-sonnet-4.5"][index % 3]
                    _ = try await harness.chat(key: key, model: model, stream: index < 4, includeUsage: true, maxTokens: 64)
                }
            }
            try await group.waitForAll()
        }
        #expect(try await harness.chat(key: frugal, stream: true, includeUsage: true).events.contains { $0.contains("budget_exceeded") })
        #expect(try await harness.chat(key: broke).status == 402)
        #expect(try await harness.chat(key: "tg_not-a-real-key").status == 401)
        #expect(
            try await harness.chat(key: harness.betaKey, model: "gemini-2.5-flash", stream: true).events.contains { $0.contains("upstream_error") }
        )
    }
}
