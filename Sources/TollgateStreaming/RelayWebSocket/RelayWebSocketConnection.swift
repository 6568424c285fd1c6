import HummingbirdWSClient
import Logging

/// Runs one WebSocket stream: connection attempts with backoff, until content starts.
struct RelayWebSocketConnection: Sendable {
    let url: String
    let headers: [(name: String, value: String)]
    let frames: [String]
    let configuration: RelayWebSocketClient.Configuration
    let logger: Logger
    /// Scrubs the client's key from what this connection logs.
    let scrubber: SecretScrubber

    /// Connects (retrying before content only) and sends every event into `handoff`.
    func run(into handoff: EventHandoff) async throws {
        var sessionDelivered = false
        var lastError = StreamingError(.connectionFailed, message: "no connection attempt was made")
        let attempts = configuration.retry.maxAttempts
        for attempt in 1...attempts {
            if attempt > 1 {
                let delay = configuration.retry.backoff(afterAttempt: attempt - 1)
                logger.debug("retrying relay connection", metadata: ["attempt": "\(attempt)", "delay": "\(delay)"])
                try await Task.sleep(for: delay)
            }
            let session = RelayWebSocketClientAttempt(
                url: url,
                headers: headers,
                frames: frames,
                configuration: configuration,
                sessionAlreadyDelivered: sessionDelivered,
                handoff: handoff,
                logger: logger
            )
            switch await session.run() {
            case .completed, .consumerGone:
                return
            case .failed(let error):
                throw error
            case .retryable(let error, let delivered):
                sessionDelivered = delivered
                lastError = error
                logger.debug("relay attempt failed before content", metadata: ["attempt": "\(attempt)", "error": "\(scrubber.scrub(error))"])
            }
        }
        throw StreamingError(
            lastError.kind,
            message: "\(lastError.upstreamMessage ?? lastError.kind.description) (gave up after \(attempts) attempt\(attempts == 1 ? "" : "s"))",
            httpStatus: lastError.httpStatus
        )
    }
}
