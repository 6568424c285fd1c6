import ServiceLifecycle

/// Gives a service (the HTTP server) a grace period after graceful shutdown starts: open streams may
/// finish within it, then the service is cancelled, which cuts them (each still settles in the ledger,
/// because the `LedgerWriterService` listed before it stops only after this service has returned).
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
