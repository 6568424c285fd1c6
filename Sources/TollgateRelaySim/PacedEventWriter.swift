import Hummingbird
import NIOCore

/// Writes a prepared list of SSE events with the scenario's pacing and faults: the one writer of
/// replayed fixtures and of the generated OpenAI surface. Faults count output events (as the plain
/// generator counts content chunks): `drop after N` closes the connection before output event N+1,
/// `error after N` sends an error event there and ends the stream, `stall after N` pauses there.
struct PacedEventWriter: Sendable {
    struct Event: Sendable {
        let bytes: ByteBuffer
        /// Whether the event is output (paced, counted by faults and `chunksSent`).
        let isOutput: Bool
    }

    let events: [Event]
    let scenario: SimulatedScenario
    let channel: any Channel
    let metrics: RelaySimulatorMetrics
    /// Send a line that is not JSON after this many output events, then end (see ``SimulatorControl/garbageAfter``).
    var garbageAfter: Int? = nil
    /// Whether the stream is Anthropic's Messages SSE: then `error after N` sends Anthropic's
    /// `event: error` (`overloaded_error`, as Anthropic fails mid-stream) instead of OpenAI's error chunk.
    var anthropic = false

    func write(to writer: inout any ResponseBodyWriter) async throws {
        let pacing = SimulatedPacing(scenario: scenario)
        let totalOutputs = events.lazy.filter(\.isOutput).count
        var output = 0
        var checked = -1
        /// True when the stream must end here (error event sent).
        func faults(at count: Int, writer: inout any ResponseBodyWriter) async throws -> Bool {
            guard count > checked else { return false }
            checked = count
            let faults = scenario.faults
            if faults.dropAfterChunks == count {
                try await channel.close()
                throw SimulatedEventStream.SimulatedDrop()
            }
            if faults.errorAfterChunks == count {
                let key = scenario.presentedAuthorization.flatMap(WebSocketRelaySession.bearerToken)
                let message = "Upstream provider failed mid-stream (simulated)." + scenario.keyEcho(key)
                if anthropic {
                    let error: SimulatedJSON = .object([
                        ("type", .string("error")),
                        (
                            "error",
                            .object([
                                ("type", .string("overloaded_error")), ("message", .string(message)),
                            ])
                        ),
                    ])
                    try await writer.write(ByteBuffer(string: "event: error\ndata: \(error.serialized)\n\n"))
                } else {
                    let error: SimulatedJSON = .object([
                        (
                            "error",
                            .object([
                                ("message", .string(message)), ("type", .string("server_error")), ("code", .string("upstream_error")),
                            ])
                        )
                    ])
                    try await writer.write(ByteBuffer(string: "data: \(error.serialized)\n\n"))
                }
                try await writer.finish(nil)
                return true
            }
            if garbageAfter == count {
                try await writer.write(ByteBuffer(string: Self.garbage))
                try await writer.finish(nil)
                return true
            }
            if faults.stallAfterChunks == count {
                try await Task.sleep(for: faults.stallDuration)
            }
            return false
        }
        try await pacing.waitForFirstToken()
        for (index, event) in events.enumerated() {
            if event.isOutput {
                if try await faults(at: output, writer: &writer) { return }
                if output > 0 { try await pacing.waitBetweenChunks() }
            } else if output == totalOutputs, totalOutputs > 0 || index > 0 {
                if try await faults(at: output, writer: &writer) { return }
            }
            try await writer.write(event.bytes)
            if event.isOutput {
                output += 1
                metrics.update { $0.chunksSent += 1 }
            }
        }
        if try await faults(at: output, writer: &writer) { return }
        metrics.update { $0.completedResponses += 1 }
        try await writer.finish(nil)
    }

    /// What a broken relay sends in place of a chunk: an HTML error page's first line, unparseable as JSON.
    static let garbage = "data: <html><head><title>502 Bad Gateway</title></head>\n\n"
}
