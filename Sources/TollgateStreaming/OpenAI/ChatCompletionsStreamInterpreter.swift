import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns `data:` payloads of a `/v1/chat/completions` stream into ``ChatEvent``s; pure, tested without I/O.
///
/// Two modes. Translating (`relays` false, for consumers of text events such as the relay
/// WebSocket endpoint): choice 0's `content` becomes `textDelta`s. Relaying (`relays` true, for a
/// request that carries the client's own body): every payload becomes one ``ChatEvent/relayed(_:)``
/// with its bytes untouched and its billed output read by ``OutputScan``.
package struct ChatCompletionsStreamInterpreter {
    package typealias Step = RelayStreamInterpreter.Step

    private let decoder = JSONDecoder()
    private let relays: Bool

    package init(relays: Bool = false) {
        self.relays = relays
    }
    private var contentStarted = false
    private var finishReason: String?
    private(set) var isDone = false
    private var deliveredTextBytes = 0

    package mutating func receive(data: String) -> Step {
        guard !isDone else { return .deliver([]) }
        if data == "[DONE]" {
            isDone = true
            return .finish((relays ? [] : startEvents()) + [.done(completion)])
        }
        if relays { return relay(data) }
        let chunk: ChatCompletionsChunk
        do {
            chunk = try ChatCompletionsChunk.decode(data, decoder: decoder)
        } catch {
            return .fail(Self.notAChunk(data))
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

    /// One payload of a relayed stream: handed on whole, its output read for metering.
    private mutating func relay(_ data: String) -> Step {
        guard let scan = OutputScan.scan(data) else { return .fail(Self.notAChunk(data)) }
        if scan.hasError {
            let error = OutputScan.error(in: data)
            return .fail(.fromRelayErrorFrame(code: error.code ?? error.type, status: nil, message: error.message))
        }
        if scan.anyFinished { finishReason = scan.finishReason ?? finishReason ?? "stop" }
        deliveredTextBytes += scan.output.reduce(0) { $0 + $1.text.utf8.count }
        let usage = scan.hasUsage ? OutputScan.usage(in: data) : nil
        var chunk = RelayedChunk(
            kind: .streamed,
            payload: ByteBuffer(string: data),
            output: scan.output,
            usage: usage,
            isUsageOnly: usage != nil && !scan.hasChoices
        )
        chunk.finishes = scan.anyFinished
        return .deliver([.relayed(chunk)])
    }

    /// A whole non-streamed body: handed on whole, then the stream is done.
    package mutating func relayBody(_ body: ByteBuffer) -> Step {
        let text = String(buffer: body)
        guard let scan = OutputScan.scan(text) else {
            return .fail(StreamingError(.protocolViolation, message: "the upstream's chat completion body is not JSON: '\(Self.excerpt(text))'"))
        }
        if scan.hasError {
            let error = OutputScan.error(in: text)
            return .fail(.fromRelayErrorFrame(code: error.code ?? error.type, status: nil, message: error.message))
        }
        isDone = true
        let usage = scan.hasUsage ? OutputScan.usage(in: text) : nil
        let chunk = RelayedChunk(kind: .body, payload: body, output: scan.output, usage: usage)
        finishReason = scan.finishReason
        return .finish([.relayed(chunk), .done(completion)])
    }

    private static func notAChunk(_ data: String) -> StreamingError {
        StreamingError(.protocolViolation, message: "the upstream sent an event that is not a chat completion chunk: '\(excerpt(data))'")
    }

    private static func excerpt(_ data: String) -> String {
        data.count <= 120 ? data : String(data.prefix(120)) + "…"
    }

    /// The outcome when the body ends: complete if the model finished, otherwise an incomplete stream.
    package mutating func endOfBody() -> Step {
        guard !isDone else { return .deliver([]) }
        if finishReason != nil {
            isDone = true
            return .finish([.done(completion)])
        }
        return .fail(
            StreamingError(
                .upstreamClosedBeforeDone,
                message: "the upstream ended the event stream without finish_reason or [DONE] after \(deliveredTextBytes) bytes of text; "
                    + "the response is incomplete"
            )
        )
    }

    private var completion: StreamCompletion {
        var completion = StreamCompletion(finishReason: finishReason)
        completion.isRelayed = relays
        return completion
    }

    private mutating func startEvents() -> [ChatEvent] {
        guard !contentStarted else { return [] }
        contentStarted = true
        return [.contentStart]
    }
}
