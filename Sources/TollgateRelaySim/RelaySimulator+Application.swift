import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// Composes the relay simulator: the one function the CLI (`tollgate relay-sim`), tests and
/// benchmarks call, so all of them exercise the same wiring.
///
/// - Parameters:
///   - configuration: Flags; per-request `X-Sim-*` headers override them.
///   - tokenCounter: Counts tokens for usage; defaults to ``SimulatedText/defaultTokenCount(model:text:)``.
///   - metrics: Counters the caller can read while the server runs.
///   - onServerRunning: Called with the bound port once listening (useful with port 0).
///   - logger: Server logger.
public func buildApplication(
    configuration: RelaySimulatorConfiguration,
    tokenCounter: @escaping SimulatorTokenCounter = SimulatedText.defaultTokenCount,
    metrics: RelaySimulatorMetrics = RelaySimulatorMetrics(),
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in },
    logger: Logger = Logger(label: "tollgate.relay-sim")
) -> some ApplicationProtocol {
    let router = Router(context: SimulatorRequestContext.self)
    let completions = ChatCompletionsResponder(configuration: configuration, tokenCounter: tokenCounter, metrics: metrics)
    completions.register(on: router)
    MessagesResponder(configuration: configuration, tokenCounter: tokenCounter, metrics: metrics).register(on: router)

    let webSocketRouter = Router(context: SimulatorRequestContext.self)
    let relay = WebSocketRelayResponder(configuration: configuration, tokenCounter: tokenCounter, metrics: metrics)
    relay.register(on: webSocketRouter)

    return Application(
        router: router,
        server: .http1WebSocketUpgrade(
            webSocketRouter: webSocketRouter,
            // The simulator never pings: relays differ, and tests of client heartbeats must not depend on it.
            configuration: .init(ws: .init(maxFrameSize: 1 << 20, autoPing: .disabled, closeTimeout: .seconds(5)))
        ),
        // A deep accept backlog: as the upstream of load tests it sees thousands of connects at once.
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "tollgate-relay-sim",
            backlog: 4096
        ),
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}
