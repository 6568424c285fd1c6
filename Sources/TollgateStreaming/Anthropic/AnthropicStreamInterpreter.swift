import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns the events of an Anthropic Messages stream (or one whole Messages body) into relayed
/// ``ChatEvent``s; pure, tested without I/O.
///
/// Every event becomes one ``ChatEvent/relayed(_:)`` carrying its `event:` name and its `data:`
/// bytes untouched, so the client gets exactly what the upstream sent, `ping` and events not yet
/// invented included. What metering reads from them: billed output (`text_delta`,
/// `thinking_delta`, `input_json_delta`, a `tool_use` block's name; `signature_delta` is not billed
/// text), and the usage — input and cache fields from `message_start`, the cumulative
/// `output_tokens` (and any later input figures) from `message_delta`, merged and attached to the
/// `message_delta` chunk, so a stream cut before it is billed on Tollgate's own count.
package struct AnthropicStreamInterpreter {
    package typealias Step = RelayStreamInterpreter.Step

    private var startUsage: [String: JSONValue] = [:]
    private var stopReason: String?
    private var isDone = false
    private var deliveredTextBytes = 0

    package init() {}

    /// One SSE event of the stream.
    package mutating func receive(event: String?, data: String) -> Step {
        guard !isDone else { return .deliver([]) }
        guard let payload = Self.decode(data) else {
            return .fail(
                StreamingError(.protocolViolation, message: "the upstream sent an event that is not a Messages event: '\(Self.excerpt(data))'")
            )
        }
        let type = payload.type ?? event
        var chunk = RelayedChunk(kind: .streamed, payload: ByteBuffer(string: data), output: [])
        chunk.event = event
        switch type {
        case "error":
            return .fail(Self.error(payload))
        case "message_start":
            startUsage = payload.message?.usage ?? [:]
        case "content_block_start":
            if let block = payload.contentBlock { chunk.output = Self.output(of: block) }
        case "content_block_delta":
            if let text = payload.delta?.billedText, !text.isEmpty { chunk.output = [ChoiceOutput(index: 0, text: text)] }
        case "message_delta":
            if let reason = payload.delta?.stopReason { stopReason = reason }
            chunk.usage = Self.usage(start: startUsage, update: payload.usage ?? [:])
        case "message_stop":
            isDone = true
            return .finish([.relayed(chunk), .done(completion)])
        default:
            break
        }
        deliveredTextBytes += chunk.outputBytes
        return .deliver([.relayed(chunk)])
    }

    /// A whole non-streamed Messages body: handed on whole, then the stream is done.
    package mutating func relayBody(_ body: ByteBuffer) -> Step {
        let text = String(buffer: body)
        guard let message = Self.decode(text) else {
            return .fail(StreamingError(.protocolViolation, message: "the upstream's Messages body is not JSON: '\(Self.excerpt(text))'"))
        }
        if message.type == "error" { return .fail(Self.error(message)) }
        isDone = true
        stopReason = message.stopReason
        let output = (message.content ?? []).flatMap(Self.output(of:))
        let billed = output.map(\.text).joined()
        let calls = output.reduce(0) { $0 + $1.toolCalls }
        let chunk = RelayedChunk(
            kind: .body,
            payload: body,
            output: billed.isEmpty && calls == 0 ? [] : [ChoiceOutput(index: 0, text: billed, toolCalls: calls)],
            usage: message.usage.map { Self.usage(start: [:], update: $0) }
        )
        return .finish([.relayed(chunk), .done(completion)])
    }

    /// The outcome when the body ends without `message_stop`: an incomplete stream.
    package mutating func endOfBody() -> Step {
        guard !isDone else { return .deliver([]) }
        return .fail(
            StreamingError(
                .upstreamClosedBeforeDone,
                message:
                    "the upstream ended the Messages stream without message_stop after \(deliveredTextBytes) bytes of output; the response is incomplete"
            )
        )
    }

    private var completion: StreamCompletion {
        var completion = StreamCompletion(finishReason: stopReason)
        completion.isRelayed = true
        return completion
    }

    /// Billed output of a content block as it starts (or as a whole body holds it): a tool call's
    /// name (one call started), and any text or thinking it already carries.
    private static func output(of block: AnthropicPayload.Block) -> [ChoiceOutput] {
        var text = ""
        var calls = 0
        switch block.type {
        case "tool_use", "server_tool_use":
            calls = 1
            text += block.name ?? ""
            // A whole body carries the call's input as JSON; a stream sends `{}` here and the
            // input in `input_json_delta`s.
            if let input = block.input, input != .object([:]), let json = try? JSONEncoder().encode(input) {
                text += String(decoding: json, as: UTF8.self)
            }
        default:
            text += (block.text ?? "") + (block.thinking ?? "")
        }
        return text.isEmpty && calls == 0 ? [] : [ChoiceOutput(index: 0, text: text, toolCalls: calls)]
    }

    /// Anthropic's usage as ``UpstreamUsage``: `input_tokens` there excludes the cache reads and
    /// writes, which Tollgate counts as parts of the input. `update` (a `message_delta`'s
    /// cumulative counts) wins over `start` (`message_start`'s) field by field.
    package static func usage(start: [String: JSONValue], update: [String: JSONValue]) -> UpstreamUsage {
        var whole = true
        func count(_ key: String, in object: [String: JSONValue]) -> Int?? {
            switch object[key] {
            case nil, .null?: return .none
            case .integer(let value)? where value >= 0 && value <= 1_000_000_000_000: return .some(Int(value))
            default:
                whole = false
                return .some(nil)
            }
        }
        func field(_ key: String) -> Int? {
            if let value = count(key, in: update) { return value ?? 0 }
            if let value = count(key, in: start) { return value ?? 0 }
            return nil
        }
        func creation(_ key: String) -> Int? {
            for source in [update, start] {
                guard case .object(let split)? = source["cache_creation"], let value = count(key, in: split) else { continue }
                return value ?? 0
            }
            return nil
        }
        let input = field("input_tokens") ?? 0
        let read = field("cache_read_input_tokens") ?? 0
        let hour = creation("ephemeral_1h_input_tokens") ?? 0
        let written = field("cache_creation_input_tokens") ?? (creation("ephemeral_5m_input_tokens") ?? 0) + hour
        // The plain total is the 5-minute cache unless the split says otherwise.
        let fiveMinutes = creation("ephemeral_5m_input_tokens") ?? max(0, written - hour)
        var usage = UpstreamUsage(
            inputTokens: input + read + max(written, fiveMinutes + hour),
            outputTokens: field("output_tokens") ?? 0,
            cachedInputTokens: read,
            isWholeNumbers: whole
        )
        usage.cacheWrite5mTokens = fiveMinutes
        usage.cacheWrite1hTokens = hour
        return usage
    }

    private static func error(_ payload: AnthropicPayload) -> StreamingError {
        .fromRelayErrorFrame(code: payload.error?.type, status: nil, message: payload.error?.message)
    }

    private static func decode(_ text: String) -> AnthropicPayload? {
        AnthropicPayload.scanned(text) ?? (try? JSONDecoder().decode(AnthropicPayload.self, from: Data(text.utf8)))
    }

    private static func excerpt(_ data: String) -> String {
        data.count <= 120 ? data : String(data.prefix(120)) + "…"
    }
}

/// The parts of a Messages event or body that metering reads; everything else is skipped.
struct AnthropicPayload: Decodable {
    struct Block: Decodable {
        var type: String?
        var text: String?
        var thinking: String?
        var name: String?
        var input: JSONValue?
    }

    struct Delta: Decodable {
        var type: String?
        var text: String?
        var thinking: String?
        var partialJSON: String?
        var stopReason: String?

        enum CodingKeys: String, CodingKey {
            case type, text, thinking
            case partialJSON = "partial_json"
            case stopReason = "stop_reason"
        }

        /// What the upstream bills as output in this delta; a `signature_delta` carries none.
        var billedText: String? {
            switch type {
            case "text_delta": text
            case "thinking_delta": thinking
            case "input_json_delta": partialJSON
            default: nil
            }
        }
    }

    struct Message: Decodable {
        var usage: [String: JSONValue]?
    }

    struct ErrorDetail: Decodable {
        var type: String?
        var message: String?
    }

    var type: String?
    var message: Message?
    var contentBlock: Block?
    var delta: Delta?
    var usage: [String: JSONValue]?
    var error: ErrorDetail?
    var content: [Block]?
    var stopReason: String?

    enum CodingKeys: String, CodingKey {
        case type, message, delta, usage, error, content
        case contentBlock = "content_block"
        case stopReason = "stop_reason"
    }
}
