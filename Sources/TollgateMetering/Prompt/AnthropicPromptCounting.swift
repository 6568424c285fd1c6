import TollgateCore
import TollgateStreaming
import TollgateTokenizers

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Counts an Anthropic Messages body the way Anthropic bills it as input, for admission to reserve
/// against (the upstream's `usage` replaces it at settlement). Pure; never fails.
///
/// - Framing: ``MeteringSettings`` per-message overhead and role, and the reply priming, as for
///   Chat Completions (Anthropic publishes no per-message figure; the upstream's count settles it).
/// - `system` as a string or `text` blocks; message `content` as a string or blocks: `text`,
///   `thinking`, `tool_use` (name + input JSON), `tool_result` (its string or blocks, recursively),
///   `document` with a text source (its text) or base64 data (decoded bytes ÷ 3, an estimate).
/// - Images: Anthropic's formula `⌈width × height ÷ 750⌉` on the size read from a base64 source's
///   header, at most ``imageWorstCase`` (Anthropic scales larger images down to about that);
///   a URL source or an unreadable header costs ``imageWorstCase``, an estimate.
/// - `tools`: each definition's name, description and `input_schema` JSON, plus
///   ``toolSystemPromptTokens`` once (the tool-use system prompt Anthropic adds).
/// - Any other block or value: its JSON text, reported as a problem (never free).
public enum AnthropicPromptCounting {
    /// The most an image costs: Anthropic resizes anything larger to about 1.15 megapixels, ~1,600 tokens.
    public static let imageWorstCase = 1_600
    /// The tool-use system prompt Anthropic adds when `tools` are given (its pricing page: 346
    /// tokens for `auto`/`none`, 313 for `any`/`tool` on Claude 4 models; the larger is held).
    public static let toolSystemPromptTokens = 346

    /// The input tokens of a Messages body, with a breakdown.
    public static func count(body: JSONValue, with counter: ModelTokenCounter, settings: MeteringSettings = MeteringSettings()) -> PromptCount {
        var walker = Walker(counter: counter, settings: settings)
        walker.walk(body)
        return walker.result
    }

    /// The prompt admission holds for: `tokens` at the input price, or — when the body asks for
    /// prompt caching (`cache_control` anywhere) — all of them as cache writes at the longest
    /// lifetime it names, the most those tokens can cost; settlement bills what the upstream reports.
    public static func worstCasePrompt(_ tokens: Int, body: ChatRequestBody?) throws(MoneyError) -> TokenUsage {
        guard let body, body.api == .anthropicMessages, contains(body.bytes, "\"cache_control\"") else {
            return try TokenUsage(inputTokens: tokens, outputTokens: 0)
        }
        if contains(body.bytes, "\"1h\"") { return try TokenUsage(inputTokens: tokens, cacheWrite1hTokens: tokens, outputTokens: 0) }
        return try TokenUsage(inputTokens: tokens, cacheWrite5mTokens: tokens, outputTokens: 0)
    }

    private static func contains(_ bytes: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard bytes.count >= pattern.count else { return false }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            if bytes[start..<start + pattern.count].elementsEqual(pattern) { return true }
        }
        return false
    }

    struct Walker {
        let counter: ModelTokenCounter
        let settings: MeteringSettings
        var result = PromptCount()

        mutating func walk(_ body: JSONValue) {
            result.breakdown.framing += settings.replyPrimingTokens
            guard case .object(let fields) = body else { return unrecognized(body, at: "body", expected: "a JSON object") }
            switch fields["system"] {
            case nil, .null?: break
            case .string(let text)?: result.breakdown.text += counter.count(text)
            case .array(let blocks)?: for (index, block) in blocks.enumerated() { self.block(block, at: "system[\(index)]") }
            case let other?: unrecognized(other, at: "system", expected: "a string or text blocks")
            }
            if case .array(let messages)? = fields["messages"] {
                for (index, message) in messages.enumerated() { self.message(message, at: "messages[\(index)]") }
            }
            if case .array(let tools)? = fields["tools"], !tools.isEmpty {
                result.breakdown.framing += AnthropicPromptCounting.toolSystemPromptTokens
                for tool in tools {
                    guard case .object(let definition) = tool else { continue }
                    for key in ["name", "description"] {
                        if case .string(let text)? = definition[key] { result.breakdown.toolDefinitions += counter.count(text) }
                    }
                    // Server tools (web search, ...) have a type and no schema: their JSON errs high.
                    result.breakdown.toolDefinitions += counter.count(Self.json(definition["input_schema"] ?? tool))
                }
            }
        }

        private mutating func message(_ value: JSONValue, at path: String) {
            result.breakdown.framing += settings.tokensPerMessage
            guard case .object(let fields) = value else { return unrecognized(value, at: path, expected: "a message object") }
            if case .string(let role)? = fields["role"] { result.breakdown.framing += counter.count(role) }
            content(fields["content"], at: "\(path).content")
        }

        private mutating func content(_ value: JSONValue?, at path: String) {
            switch value {
            case nil, .null?: break
            case .string(let text)?: result.breakdown.text += counter.count(text)
            case .array(let blocks)?: for (index, block) in blocks.enumerated() { self.block(block, at: "\(path)[\(index)]") }
            case let other?: unrecognized(other, at: path, expected: "a string or content blocks")
            }
        }

        private mutating func block(_ value: JSONValue, at path: String) {
            guard case .object(let fields) = value, case .string(let type)? = fields["type"] else {
                return unrecognized(value, at: path, expected: "a content block with a 'type'")
            }
            switch type {
            case "text":
                if case .string(let text)? = fields["text"] { result.breakdown.text += counter.count(text) }
            case "thinking":
                if case .string(let text)? = fields["thinking"] { result.breakdown.text += counter.count(text) }
            case "redacted_thinking":
                result.estimated = true
                if case .string(let data)? = fields["data"] { result.breakdown.text += data.utf8.count / 4 }
            case "tool_use", "server_tool_use":
                if case .string(let name)? = fields["name"] { result.breakdown.toolCalls += counter.count(name) }
                result.breakdown.toolCalls += counter.count(Self.json(fields["input"] ?? .object([:])))
            case "tool_result":
                content(fields["content"], at: "\(path).content")
            case "image":
                result.breakdown.images += image(fields["source"])
            case "document":
                document(fields["source"])
            default:
                unrecognized(value, at: path, expected: "a text, image, document, tool_use, tool_result or thinking block")
            }
        }

        private mutating func image(_ source: JSONValue?) -> Int {
            guard case .object(let fields)? = source, fields["type"] == .string("base64"), case .string(let data)? = fields["data"] else {
                result.estimated = true
                return AnthropicPromptCounting.imageWorstCase
            }
            let bytes = Array(data.utf8)
            let size = bytes.withUnsafeBufferPointer { ImageDimensions.read(Base64Bytes($0)) }
            guard let size else {
                result.estimated = true
                return AnthropicPromptCounting.imageWorstCase
            }
            let tokens = (Int128(size.width) * Int128(size.height) + 749) / 750
            return Int(min(tokens, Int128(AnthropicPromptCounting.imageWorstCase)))
        }

        private mutating func document(_ source: JSONValue?) {
            result.estimated = true
            guard case .object(let fields)? = source else { return }
            switch (fields["type"], fields["data"]) {
            case (.string("text")?, .string(let text)?): result.breakdown.files += counter.count(text)
            case (.string("base64")?, .string(let data)?): result.breakdown.files += data.utf8.count * 3 / 4 / 3
            case (.string("content")?, let blocks?): content(blocks, at: "document.source.content")
            default: result.breakdown.files += AnthropicPromptCounting.imageWorstCase
            }
        }

        private mutating func unrecognized(_ value: JSONValue, at path: String, expected: String) {
            result.breakdown.unrecognized += counter.count(Self.json(value))
            result.estimated = true
            result.problems.append(PromptCount.Problem(path: path, message: "expected \(expected)"))
        }

        static func json(_ value: JSONValue) -> String {
            (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }
}
