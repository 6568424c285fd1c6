import Hummingbird
import HummingbirdWebSocket
import Logging
import TollgateAdmin
import TollgateMetering

/// Composes the gateway's HTTP application: routes, middleware and the relay WebSocket.
///
/// `GatewayServices` runs it with everything it needs beside it (the ledger writer first, so a
/// shutdown drains open streams into the ledger); `tollgate serve`, the demo and the tests all run
/// that, so they exercise the same wiring.
///
/// - Parameters:
///   - settings: Address, admin token, limits.
///   - metering: The budget-enforced client: ledger, pricing, tokenizers, upstream and writer.
///   - metrics: The registry served at `GET /metrics` (per `settings.metricsAccess`); build `metering`'s
///     writer with `metrics.metering` so the metering layer reports into it. `nil`: no `/metrics` route.
///   - observers: Where endpoints report open streams, cutoffs and refusals (the dashboard) and
///     teams whose spend changed (budget alerts: run a `BudgetAlertService` on the same monitor).
///   - onServerRunning: Called with the bound port once listening (useful with port 0).
///   - logger: Server logger. The upstream key is never logged: it lives only inside `metering.upstream`.
public func buildGateway(
    settings: GatewaySettings,
    metering: MeteredClient,
    metrics: GatewayMetrics? = nil,
    observers: GatewayObservers = GatewayObservers(),
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in },
    logger: Logger = Logger(label: "tollgate.gateway")
) -> some ApplicationProtocol {
    var metering = metering
    let alerts = observers.alerts
    metering.onOverrun = { teamID in alerts.mark(teamID: teamID, overrun: true) }
    let live = metering.livePricing
    let admin = QuotaAdmin(store: metering.store, currentPricing: { live.table })
    let authenticator = GatewayAuthenticator(admin: admin)
    let shutdown = ShutdownDeadline(grace: settings.shutdownGrace)
    let router = Router(context: GatewayRequestContext.self)
    HealthEndpoint(metering: metering).register(on: router)
    ChatCompletionsEndpoint(metering: metering, authenticator: authenticator, settings: settings, observers: observers, shutdown: shutdown)
        .register(on: router)
    MessagesEndpoint(metering: metering, authenticator: authenticator, settings: settings, observers: observers, shutdown: shutdown)
        .register(on: router)
    AdminEndpoint(admin: admin, settings: settings).register(on: router)
    AdminPricingEndpoint(pricing: metering.livePricing, settings: settings).register(on: router)
    if let metrics { MetricsEndpoint(metrics: metrics, access: settings.metricsAccess).register(on: router) }
    DashboardEndpoint(admin: admin, activity: observers.activity, settings: settings).register(on: router)
    router.add(middleware: UnknownRouteMiddleware())
    let relay = RelayWebSocketEndpoint(metering: metering, authenticator: authenticator, observers: observers, shutdown: shutdown)

    return Application(
        router: router,
        server: .gatewayConnections(
            path: RelayWebSocketEndpoint.path,
            shutdown: shutdown,
            limits: settings.limits,
            configuration: .init(
                maxFrameSize: RelayWebSocketEndpoint.maxFrameSize,
                autoPing: .enabled(timePeriod: .seconds(30)),
                closeTimeout: .seconds(5),
                validateUTF8: true
            ),
            session: { head, inbound, outbound, logger in try await relay.serve(head: head, inbound: inbound, outbound: outbound, logger: logger) }
        ),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "tollgate-gateway", backlog: 4096),
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? settings.port)
        },
        logger: logger
    )
}
