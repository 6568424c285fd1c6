import Hummingbird
import Logging
import ServiceLifecycle

/// Runs a simulator in-process for the duration of `body`, on an ephemeral port.
///
/// Tests and benchmarks use this; the CLI runs ``buildApplication(configuration:tokenCounter:metrics:onServerRunning:logger:)``
/// as a service instead. The server is stopped (its task cancelled) when `body` returns or throws.
public func withRelaySimulator<Result: Sendable>(
    configuration: RelaySimulatorConfiguration = RelaySimulatorConfiguration(),
    tokenCounter: @escaping SimulatorTokenCounter = SimulatedText.defaultTokenCount,
    metrics: RelaySimulatorMetrics = RelaySimulatorMetrics(),
    logger: Logger = Logger(label: "tollgate.relay-sim"),
    _ body: @Sendable (_ port: Int) async throws -> Result
) async throws -> Result {
    let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
    let app = buildApplication(
        configuration: configuration,
        tokenCounter: tokenCounter,
        metrics: metrics,
        onServerRunning: { port in
            portSink.yield(port)
            portSink.finish()
        },
        logger: logger
    )
    let services = ServiceGroup(services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            group.cancelAll()
            throw RelaySimulatorError(
                message: "the relay simulator stopped before it started listening on \(configuration.host):\(configuration.port)"
            )
        }
        let outcome: Swift.Result<Result, any Error>
        do {
            outcome = .success(try await body(port))
        } catch {
            outcome = .failure(error)
        }
        // Drain gracefully so open streams see a normal close; cancel if a connection lingers.
        await services.triggerGracefulShutdown()
        group.addTask { try await Task.sleep(for: shutdownGrace) }
        _ = try? await group.next()
        group.cancelAll()
        return try outcome.get()
    }
}

/// How long ``withRelaySimulator(configuration:tokenCounter:metrics:logger:_:)`` waits for open
/// connections to drain before cancelling the server.
private let shutdownGrace: Duration = .seconds(3)

/// A failure to start the simulator.
public struct RelaySimulatorError: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    public let message: String
    /// The message.
    public var description: String { message }
}
