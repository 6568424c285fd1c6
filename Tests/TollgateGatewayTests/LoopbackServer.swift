import Hummingbird
import Logging
import ServiceLifecycle

/// Runs a test's own HTTP server (an upstream, a webhook receiver) on 127.0.0.1 at an ephemeral
/// port for the length of `body`, then shuts it down gracefully, whether `body` threw or not.
enum LoopbackServer {
    static func run<T: Sendable>(_ router: Router<BasicRequestContext>, label: String, _ body: (Int) async throws -> T) async throws -> T {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                sink.yield(channel.localAddress?.port ?? 0)
                sink.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw HarnessFailure(description: "\(label) never listened") }
            let outcome: Result<T, any Error>
            do { outcome = .success(try await body(port)) } catch { outcome = .failure(error) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try outcome.get()
        }
    }
}
