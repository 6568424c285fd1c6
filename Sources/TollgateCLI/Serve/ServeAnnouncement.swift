import Foundation
import TollgateAdmin
import TollgateCore
import TollgateGateway
import TollgateStreaming
import TollgateTokenizers

/// What `tollgate serve` tells the person who started it: the simulator warning, the demo key made
/// on a first run, and a curl line to paste.
enum ServeAnnouncement {
    /// The team created when the ledger has none, so a first run can be tried at once.
    static let demoTeam = "demo"

    /// Creates the demo team and key when the ledger has no team; returns the key (shown only now).
    static func demoKeyOnFirstRun(_ admin: QuotaAdmin) async throws -> String? {
        guard try await admin.store.teams().isEmpty else { return nil }
        let budget = try Budget(limit: Money(parsing: "50", .cny), period: .monthly)
        _ = try await admin.createTeam(name: demoTeam, budget: budget)
        return try await admin.createKey(team: demoTeam, label: "created by the first 'tollgate serve'").secret
    }

    static func simulator(port: Int) {
        Console.error(
            """
            ************************************************************************************
            * NO UPSTREAM CONFIGURED: requests go to the built-in relay SIMULATOR               *
            * (OpenAI SSE at http://127.0.0.1:\(port)/v1: simulated text, no real model).       *
            * Set TOLLGATE_UPSTREAM_URL and TOLLGATE_UPSTREAM_KEY (or --upstream) to relay to   *
            * a real provider.                                                                  *
            ************************************************************************************
            """
        )
    }

    static func ready(
        host: String,
        port: Int,
        demoKey: String?,
        adminToken: Bool,
        metrics: MetricsAccess = .open,
        vocabularies: [TokenEncoding: VocabularyOrigin] = [:]
    ) {
        let base = "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)"
        var lines = ["tollgate gateway listening on \(host):\(port)"]
        if !vocabularies.isEmpty {
            let sources = TokenEncoding.allCases.compactMap { encoding in vocabularies[encoding].map { "\(encoding.rawValue) \($0)" } }
            lines.append("vocabularies: \(sources.joined(separator: ", "))")
        }
        if let demoKey {
            lines.append("first run: created team '\(demoTeam)' (50.00 CNY a month) and its key — shown once, keep it:")
            lines.append("  \(demoKey)")
        }
        lines.append("try it:")
        lines.append(
            "  curl -N \(base)/v1/chat/completions -H 'Authorization: Bearer \(demoKey ?? "<team key>")' -H 'Content-Type: application/json' \\"
        )
        lines.append(#"    -d '{"model":"gpt-4.1","stream":true,"messages":[{"role":"user","content":"Hello"}]}'"#)
        lines.append("OpenAI SDKs: base_url=\(base)/v1   relay WebSocket: ws://\(base.dropFirst("http://".count))\(RelayWebSocketProtocol.path)")
        lines.append(
            adminToken
                ? "admin API: \(base)/admin (Bearer $TOLLGATE_ADMIN_TOKEN)" : "admin API disabled: set TOLLGATE_ADMIN_TOKEN to enable \(base)/admin"
        )
        switch metrics {
        case .open: lines.append("Prometheus metrics: \(base)/metrics")
        case .token: lines.append("Prometheus metrics: \(base)/metrics (Bearer $TOLLGATE_METRICS_TOKEN)")
        case .disabled:
            lines.append(
                "Prometheus metrics disabled off loopback: set TOLLGATE_METRICS_TOKEN (or TOLLGATE_METRICS_OPEN=1) to enable \(base)/metrics"
            )
        }
        if adminToken { lines.append("dashboard: open \(base)/dashboard?token=<TOLLGATE_ADMIN_TOKEN> once in a browser") }
        // Unbuffered, so a script waiting for the curl line sees it at once.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
