import TollgateStreaming

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One simulated Messages answer, computed before any I/O: pure, so its events and body are tested
/// without a server.
struct MessagesAnswer {
    let id: String
    let model: String
    let stream: Bool
    let thinking: [String]
    let text: [String]
    let tool: (id: String, name: String, input: String)?
    let inputTokens: Int
    let outputTokens: Int
    let cacheRead: Int
    let cacheWrite5m: Int
    let cacheWrite1h: Int
    let stopReason: String
    let errorStatus: Int?
    let retryAfter: Int

    init(body: [String: JSONValue], tokenCounter: SimulatorTokenCounter) {
        model = body["model"]?.simulatorText ?? ""
        stream = body["stream"] == .bool(true)
        var controls: [String: JSONValue] = [:]
        if case .object(let object)? = body["tollgate_sim"] { controls = object }
        func control(_ key: String) -> Int? { controls[key]?.integerValue.map { Int(clamping: $0) } }
        errorStatus = control("status").flatMap { (400...599).contains($0) ? $0 : nil }
        retryAfter = control("retry_after") ?? 1
        cacheRead = control("cache_read") ?? 0
        cacheWrite5m = control("cache_write_5m") ?? 0
        cacheWrite1h = control("cache_write_1h") ?? 0
        let prompt = Self.promptText(body)
        let seed = Int64(bitPattern: SimulatedText.fnv1a(prompt))
        id = "msg_sim" + String(UInt64(bitPattern: seed), radix: 16)
        let limit = max(1, body["max_tokens"]?.integerValue.map { Int(clamping: $0) } ?? 64)
        var thinkingEnabled = false
        if case .object(let thinking)? = body["thinking"], thinking["type"] == .string("enabled") { thinkingEnabled = true }
        thinking = thinkingEnabled ? SimulatedText.generate(model: model, prompt: "think " + prompt, seed: seed, pieceCount: min(8, limit)) : []
        var lastIsToolResult = false
        if case .array(let messages)? = body["messages"], case .object(let last)? = messages.last, case .array(let blocks)? = last["content"] {
            lastIsToolResult = blocks.contains { if case .object(let block) = $0 { block["type"] == .string("tool_result") } else { false } }
        }
        if case .array(let tools)? = body["tools"], case .object(let first)? = tools.first, let name = first["name"]?.simulatorText, !lastIsToolResult
        {
            tool = ("toolu_sim" + String(UInt64(bitPattern: seed) >> 8, radix: 16), name, #"{"query": "simulated"}"#)
        } else {
            tool = nil
        }
        text = SimulatedText.generate(model: model, prompt: prompt, seed: seed, pieceCount: min(24, max(1, limit - thinking.count)))
        let counted = tokenCounter(model, prompt)
        inputTokens = max(1, counted - cacheRead - cacheWrite5m - cacheWrite1h)
        var output = tokenCounter(model, thinking.joined()) * (thinking.isEmpty ? 0 : 1) + tokenCounter(model, text.joined())
        if let tool { output += tokenCounter(model, tool.name) + tokenCounter(model, tool.input) }
        outputTokens = output
        stopReason = tool != nil ? "tool_use" : "end_turn"
    }

    /// The system prompt and every text of every message, one per line.
    static func promptText(_ body: [String: JSONValue]) -> String {
        var lines: [String] = []
        func texts(_ value: JSONValue?) {
            switch value {
            case .string(let text)?: lines.append(text)
            case .array(let blocks)?:
                for case .object(let block) in blocks {
                    if let text = block["text"]?.simulatorText { lines.append(text) }
                    texts(block["content"])
                }
            default: break
            }
        }
        texts(body["system"])
        if case .array(let messages)? = body["messages"] {
            for case .object(let message) in messages { texts(message["content"]) }
        }
        return lines.joined(separator: "\n")
    }

    private var usageStart: SimulatedJSON {
        .object([
            ("input_tokens", .integer(inputTokens)), ("cache_creation_input_tokens", .integer(cacheWrite5m + cacheWrite1h)),
            ("cache_read_input_tokens", .integer(cacheRead)),
            (
                "cache_creation",
                .object([("ephemeral_5m_input_tokens", .integer(cacheWrite5m)), ("ephemeral_1h_input_tokens", .integer(cacheWrite1h))])
            ),
            ("output_tokens", .integer(1)), ("service_tier", .string("standard")),
        ])
    }

    /// The SSE events, as Anthropic orders them.
    var events: [(String, SimulatedJSON)] {
        var events: [(String, SimulatedJSON)] = [
            (
                "message_start",
                .object([
                    ("type", .string("message_start")),
                    (
                        "message",
                        .object([
                            ("id", .string(id)), ("type", .string("message")), ("role", .string("assistant")), ("model", .string(model)),
                            ("content", .array([])), ("stop_reason", .null), ("stop_sequence", .null), ("usage", usageStart),
                        ])
                    ),
                ])
            )
        ]
        var index = 0
        func block(_ start: SimulatedJSON, deltas: [SimulatedJSON]) {
            events.append(
                ("content_block_start", .object([("type", .string("content_block_start")), ("index", .integer(index)), ("content_block", start)]))
            )
            if index == 0 { events.append(("ping", .object([("type", .string("ping"))]))) }
            for delta in deltas {
                events.append(
                    ("content_block_delta", .object([("type", .string("content_block_delta")), ("index", .integer(index)), ("delta", delta)]))
                )
            }
            events.append(("content_block_stop", .object([("type", .string("content_block_stop")), ("index", .integer(index))])))
            index += 1
        }
        if !thinking.isEmpty {
            block(
                .object([("type", .string("thinking")), ("thinking", .string("")), ("signature", .string(""))]),
                deltas: thinking.map { .object([("type", .string("thinking_delta")), ("thinking", .string($0))]) }
                    + [.object([("type", .string("signature_delta")), ("signature", .string("c2ltdWxhdGVk"))])]
            )
        }
        block(
            .object([("type", .string("text")), ("text", .string(""))]),
            deltas: text.map { .object([("type", .string("text_delta")), ("text", .string($0))]) }
        )
        if let tool {
            let half = tool.input.index(tool.input.startIndex, offsetBy: tool.input.count / 2)
            block(
                .object([("type", .string("tool_use")), ("id", .string(tool.id)), ("name", .string(tool.name)), ("input", .object([]))]),
                deltas: [String(tool.input[..<half]), String(tool.input[half...])].map {
                    .object([("type", .string("input_json_delta")), ("partial_json", .string($0))])
                }
            )
        }
        events.append(
            (
                "message_delta",
                .object([
                    ("type", .string("message_delta")), ("delta", .object([("stop_reason", .string(stopReason)), ("stop_sequence", .null)])),
                    ("usage", .object([("output_tokens", .integer(outputTokens))])),
                ])
            )
        )
        events.append(("message_stop", .object([("type", .string("message_stop"))])))
        return events
    }

    /// The non-streamed `message` body.
    var message: SimulatedJSON {
        var content: [SimulatedJSON] = []
        if !thinking.isEmpty {
            content.append(
                .object([("type", .string("thinking")), ("thinking", .string(thinking.joined())), ("signature", .string("c2ltdWxhdGVk"))])
            )
        }
        content.append(.object([("type", .string("text")), ("text", .string(text.joined()))]))
        if let tool {
            content.append(
                .object([
                    ("type", .string("tool_use")), ("id", .string(tool.id)), ("name", .string(tool.name)),
                    ("input", .object([("query", .string("simulated"))])),
                ])
            )
        }
        var usage = usageStart
        if case .object(var members) = usage {
            members = members.map { $0.0 == "output_tokens" ? ($0.0, .integer(outputTokens)) : $0 }
            usage = .object(members)
        }
        return .object([
            ("id", .string(id)), ("type", .string("message")), ("role", .string("assistant")), ("model", .string(model)),
            ("content", .array(content)), ("stop_reason", .string(stopReason)), ("stop_sequence", .null), ("usage", usage),
        ])
    }
}

extension JSONValue {
    /// The string, when this is one.
    var simulatorText: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
