#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns `data:` payloads of a `/v1/chat/completions` stream into ``ChatEvent``s; pure, tested without I/O.
package struct ChatCompletionsStreamInterpreter {
    package typealias Step = RelayStreamInterpreter.Step

    private let decoder = JSONDecoder()

    package init() {}
    private var contentStarted = false
    private var finishReason: String?
    private(set) var isDone = false
    private var deliveredTextBytes = 0

    package mutating func receive(data: String) -> Step {
        guard !isDone else { return .deliver([]) }
        if data == "[DONE]" {
            isDone = true
            return .finish(startEvents() + [.done(StreamCompletion(finishReason: finishReason))])
        }
        let chunk: ChatCompletionsChunk
        do {
            chunk = try ChatCompletionsChunk.decode(data, decoder: decoder)
        } catch {
            let excerpt = data.count <= 120 ? data : String(data.prefix(120)) + "…"
            return .fail(StreamingError(.protocolViolation, message: "the upstream sent an event that is not a chat completion chunk: '\(excerpt)'"))
        }
        if let error = chunk.error {
            return .fail(.fromRelayErrorFrame(code: error.code ?? error.type, status: nil, message: error.message))
        }
        var events: [ChatEvent] = []
        for choice in chunk.choices ?? [] where choice.index == 0 {
            events += startEvents()
            if let content = choice.delta.content, !content.isEmpty {
                deliveredTextBytes += content.utf8.count
                events.append(.textDelta(content))
            }
            if let reason = choice.finishReason { finishReason = reason }
        }
        if let usage = chunk.usage {
            events += startEvents()
            events.append(.usage(usage.tokenUsage))
        }
        return .deliver(events)
    }

    /// The outcome when the body ends: complete if the model finished, otherwise an incomplete stream.
    package mutating func endOfBody() -> Step {
        guard !isDone else { return .deliver([]) }
        if let finishReason {
            isDone = true
            return .finish([.done(StreamCompletion(finishReason: finishReason))])
        }
        return .fail(StreamingError(
            .upstreamClosedBeforeDone,
            message: "the upstream ended the event stream without finish_reason or [DONE] after \(deliveredTextBytes) bytes of text; "
                + "the response is incomplete"
        ))
    }

    private mutating func startEvents() -> [ChatEvent] {
        guard !contentStarted else { return [] }
        contentStarted = true
        return [.contentStart]
    }
}
