import ServiceLifecycle
import TollgateMetering

/// Runs a `LedgerWriter` as a service. List it *before* the HTTP server in the `ServiceGroup`:
/// services stop in reverse order, so the server drains its streams (each settling through the
/// writer) before the writer is told to stop and flush what is pending.
public struct LedgerWriterService: Service {
    /// The writer to run.
    public let writer: LedgerWriter

    /// Creates the service.
    public init(writer: LedgerWriter) {
        self.writer = writer
    }

    /// Commits until graceful shutdown, then drains (the writer flushes on cancellation).
    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await writer.run()
        }
    }
}
