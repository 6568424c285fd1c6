import Hummingbird
import NIOCore
import TollgateStreaming

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes one simulated response as OpenAI-style server-sent events, applying the scenario's faults.
struct SimulatedEventStream: Sendable {
    let id: String
    let created: Int
    let model: String
    let response: SimulatedResponse
    let usage: ChatCompletionsUsage?
    let scenario: SimulatedScenario
    let channel: any Channel
    let metrics: RelaySimulatorMetrics

    /// Thrown after the connection was dropped on purpose, so Hummingbird does not finish the body.
    struct SimulatedDrop: Error {}

    func write(to writer: inout any ResponseBodyWriter) async throws {
        let encoder = JSONEncoder()
        func event(_ chunk: ChatCompletionsChunk) throws -> ByteBuffer {
            var buffer = ByteBuffer(string: "data: ")
            buffer.writeBytes(try encoder.encode(chunk))
            buffer.writeString("\n\n")
            return buffer
        }
        let pacing = SimulatedPacing(scenario: scenario)
        try await pacing.waitForFirstToken()
        try await writer.write(try event(chunk([.init(delta: .init(role: .assistant, content: ""))])))
        for index in 0...response.chunks.count {
            let faults = scenario.faults
            if faults.dropAfterChunks == index {
                try await channel.close()
                throw SimulatedDrop()
            }
            if faults.errorAfterChunks == index {
                var failure = chunk([])
                failure.choices = nil
                let key = scenario.presentedAuthorization.flatMap(WebSocketRelaySession.bearerToken)
                failure.error = .init(
                    message: "Upstream provider failed mid-stream (simulated)." + scenario.keyEcho(key),
                    type: "server_error",
                    code: "upstream_error"
                )
                try await writer.write(try event(failure))
                try await writer.finish(nil)
                return
            }
            if faults.stallAfterChunks == index {
                try await Task.sleep(for: faults.stallDuration)
            }
            guard index < response.chunks.count else { break }
            if index > 0 { try await pacing.waitBetweenChunks() }
            try await writer.write(try event(chunk([.init(delta: .init(content: response.chunks[index]))])))
            metrics.update { $0.chunksSent += 1 }
        }
        try await writer.write(try event(chunk([.init(delta: .init(), finishReason: response.finishReason)])))
        if let usage {
            try await writer.write(try event(chunk([], usage: usage)))
        }
        try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
        metrics.update { $0.completedResponses += 1 }
        try await writer.finish(nil)
    }

    private func chunk(_ choices: [ChatCompletionsChunk.Choice], usage: ChatCompletionsUsage? = nil) -> ChatCompletionsChunk {
        ChatCompletionsChunk(id: id, model: model, created: created, choices: choices, usage: usage)
    }
}
