import ServiceLifecycle

/// Cancels a service (the HTTP server) that is still running `grace` after graceful shutdown started.
///
/// Streams stop themselves with a `gateway_shutdown` event at `GatewaySettings.shutdownGrace`; this is
/// the backstop for one stalled upstream between events, so give it a few seconds more. A cancelled
/// stream still settles (as `client_disconnected`): the `LedgerWriterService` listed before the
/// server stops only after the server has returned.
public struct ShutdownGrace<Base: Service>: Service {
    /// The service to stop gracefully.
    public let base: Base
    /// How long open work may continue after shutdown starts.
    public let grace: Duration

    /// Wraps `base`.
    public init(_ base: Base, grace: Duration) {
        self.base = base
        self.grace = grace
    }

    /// Runs the base service; once shutdown starts, cancels it if it is still running after `grace`.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await base.run() }
            group.addTask {
                // Throws when the group is cancelled first (the base returned): nothing to cut then.
                try await gracefulShutdown()
                try await Task.sleep(for: grace)
                throw GracePeriodElapsed()
            }
            do {
                try await group.next()
                group.cancelAll()
            } catch is GracePeriodElapsed {
                group.cancelAll()
                try? await group.next()
            }
        }
    }

    private struct GracePeriodElapsed: Error {}
}
