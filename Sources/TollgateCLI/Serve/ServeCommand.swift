import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TollgateCore
import TollgateGateway
import TollgateMetering
import TollgateRelaySim
import TollgateStreaming

/// `tollgate serve`: the gateway. Works with no configuration: the default ledger, the built-in
/// pricing, and — without `TOLLGATE_UPSTREAM_URL` — an in-process relay simulator as upstream,
/// reached over OpenAI SSE (its `/v1/chat/completions`).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway: OpenAI-compatible /v1/chat/completions, the relay WebSocket \(RelayWebSocketProtocol.path), the admin API.",
        discussion: """
            Settings: a flag wins over its TOLLGATE_* variable, which wins over the default. The admin API and \
            /dashboard need TOLLGATE_ADMIN_TOKEN (they answer 503 without it); budget alerts go to --alert-webhook \
            URLs, signed with TOLLGATE_ALERT_SECRET; TOLLGATE_UPSTREAM_KEY authenticates to the upstream \
            and never leaves this process. SIGTERM/SIGINT stop accepting, let open streams run up to \
            --grace-seconds, then cut them; every stream is settled in the ledger before exit. With a pricing folder \
            (--pricing DIR or TOLLGATE_PRICING_DIR), a change to it (checked every 2 s) or SIGHUP re-checks it and \
            puts the new table in force; a folder that fails the check is refused and logged, /readyz says why, \
            and the table in force stays.
            """
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @OptionGroup var tokenizers: TokenizerOptions
    @OptionGroup var upstream: UpstreamOptions
    @OptionGroup var limits: ServerLimitOptions
    @Option(help: "Interface to bind (default: $TOLLGATE_HOST or 127.0.0.1).") var host: String?
    @Option(help: "Port to bind, 0 for any free one (default: $TOLLGATE_PORT or 8080).") var port: Int?
    @Option(name: .customLong("grace-seconds"), help: "How long open streams may finish after SIGTERM (default: $TOLLGATE_GRACE_SECONDS or 10).")
    var graceSeconds: Int?
    @Option(name: .customLong("alert-webhook"), help: "POST budget alerts here (repeatable; default: $TOLLGATE_ALERT_WEBHOOKS, comma-separated).")
    var alertWebhooks: [String] = []
    @Option(
        name: .customLong("lease-seconds"),
        help: "How long a hold outlives a crashed gateway before any replica reclaims it (default: $TOLLGATE_LEASE_SECONDS or 30)."
    )
    var leaseSeconds: Int?
    @Option(
        name: .customLong("admission-wait"),
        help:
            "Seconds a request waits for streams in flight to release budget they hold before a 429 budget_busy, 0 to 60 (default: $TOLLGATE_ADMISSION_WAIT or 2)."
    )
    var admissionWait: String?
    @Option(
        name: .customLong("alert-retention-days"),
        help:
            "Days a delivered budget alert is kept once its budget period has ended; 0 keeps every alert; undelivered ones always stay (default: $TOLLGATE_ALERT_RETENTION_DAYS or 90)."
    )
    var alertRetentionDays: Int?

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port \(port) is out of range: use 0 to 65535 (0 picks a free port)") }
        if let graceSeconds, graceSeconds < 0 { throw ValidationError("--grace-seconds must be 0 or more") }
    }

    func run() async throws {
        let settings = try ServeSettings(
            host: host,
            port: port,
            graceSeconds: graceSeconds,
            leaseSeconds: leaseSeconds,
            alertWebhooks: alertWebhooks,
            admissionWait: admissionWait,
            alertRetentionDays: alertRetentionDays,
            environment: ProcessInfo.processInfo.environment
        )
        let serverLimits = try limits.limits(environment: ProcessInfo.processInfo.environment)
        let context = try await CommandContext(ledger, pricing)
        let registry = tokenizers.registry()
        // Load every vocabulary before listening: a bad override fails now with the locator's
        // message, not on the first request, and the banner can say where each came from.
        let vocabularies = try registry.loadAll()
        let metrics = GatewayMetrics()
        // A pricing folder is watched: reloaded when it changes (polled every 2 s) and on SIGHUP.
        let folder = pricing.resolvedDirectory
        let live = LivePricing(context.pricing, files: try PricingOptions.files(in: folder))
        let demoKey = try await ServeAnnouncement.demoKeyOnFirstRun(context.admin)
        let logger = Logger(label: "tollgate.gateway")
        let upstreamKey = upstream.key
        let serve = { @Sendable (client: any ChatStreamingClient) async throws in
            let writer = LedgerWriter(store: context.ledger, leaseDuration: .seconds(settings.leaseSeconds), metrics: metrics.metering)
            let metering = MeteredClient(
                store: context.ledger,
                livePricing: live,
                tokenizers: registry,
                upstream: client,
                writer: writer,
                settings: MeteringSettings(admissionWait: settings.admissionWait)
            )
            let gateway = GatewayServices(
                settings: GatewaySettings(
                    host: settings.host,
                    port: settings.port,
                    adminToken: settings.adminToken,
                    shutdownGrace: .seconds(settings.graceSeconds),
                    metricsAccess: settings.metricsAccess,
                    limits: serverLimits
                ),
                metering: metering,
                metrics: metrics,
                alerts: settings.alerts,
                pricingFiles: { try PricingOptions.files(in: folder) },
                onServerRunning: { port in
                    ServeAnnouncement.ready(
                        host: settings.host,
                        port: port,
                        demoKey: demoKey,
                        adminToken: settings.adminToken != nil,
                        metrics: settings.metricsAccess,
                        vocabularies: vocabularies
                    )
                },
                logger: logger
            )
            // Before listening: a budget a crashed process held is free from the first request.
            try await gateway.reclaimer.reclaim()
            try await gateway.group(gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
            Console.error("tollgate serve stopped; every stream is settled in the ledger.")
        }
        if let url = upstream.url {
            Console.error("upstream: \(url)")
            try await serve(try upstream.client(url: url))
        } else {
            let counter = SimulatorTokenCounting.make(registry, catalog: context.pricing.catalog).0
            var quiet = Logger(label: "tollgate.relay-sim")
            quiet.logLevel = .warning
            try await withRelaySimulator(tokenCounter: counter, logger: quiet) { port in
                ServeAnnouncement.simulator(port: port)
                // OpenAI SSE, not the simulator's relay WebSocket: the gateway forwards the client's body,
                // so tools, n > 1, reasoning and every role reach the simulator; the relay WebSocket
                // endpoint's text turns are carried over the same client (translated, not relayed).
                try await serve(try UpstreamClientFactory.client(url: "http://127.0.0.1:\(port)/v1", apiKey: upstreamKey))
            }
        }
    }
}
