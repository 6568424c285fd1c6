#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What metering reads from one relayed payload, without building the payload's model: per choice
/// the text billed as output, the finish reason, and whether a usage report or an error is in it.
///
/// The hand-written ``JSONScanner`` reads the usual shapes (a streamed chunk's `delta`, a body's
/// `message`); anything it does not read with certainty (nesting deeper than its limit, a lone
/// surrogate) goes to `JSONDecoder` with lenient optional fields, so a valid payload is always
/// read and only text that is not JSON is refused.
package struct OutputScan: Sendable, Hashable {
    /// Billed output per choice, choices without output left out.
    package var output: [ChoiceOutput] = []
    /// Choice 0's finish reason, if this payload carries one.
    package var finishReason: String?
    /// Whether any choice finished in this payload.
    package var anyFinished = false
    /// Whether `choices` held at least one choice.
    package var hasChoices = false
    /// Whether a non-`null` `usage` is present (decoded by ``usage(in:)``, once per stream).
    package var hasUsage = false
    /// Whether a non-`null` `error` is present.
    package var hasError = false

    /// Scans `text`: the fast scanner, else `JSONDecoder`; `nil` when the text is not a JSON object.
    package static func scan(_ text: String) -> OutputScan? {
        if let scanned = scanned(text) { return scanned }
        return decoded(text)
    }

    /// The usage report in `text`; a report whose counts do not decode is kept as malformed
    /// (billed on Tollgate's own count), never a failed stream.
    package static func usage(in text: String) -> UpstreamUsage {
        guard let envelope = try? JSONDecoder().decode(UsageEnvelope.self, from: Data(text.utf8)), let usage = envelope.usage else {
            return UpstreamUsage(inputTokens: 0, outputTokens: 0, isWholeNumbers: false)
        }
        return usage.tokenUsage
    }

    /// The error object in `text`.
    package static func error(in text: String) -> ChatCompletionsErrorBody.Detail {
        (try? JSONDecoder().decode(ChatCompletionsErrorBody.self, from: Data(text.utf8)))?.error
            ?? .init(message: "the upstream sent an error it did not describe", type: nil, code: nil)
    }

    // MARK: Fast path

    static func scanned(_ text: String) -> OutputScan? {
        JSONScanner.scan(text) { scanner in
            var scan = OutputScan()
            let complete = scanner.object { key, scanner in
                switch key {
                case "choices":
                    if scanner.consumeNull() { return true }
                    return scanner.array { scanner in scan.choice(&scanner) }
                case "usage":
                    if scanner.consumeNull() { return true }
                    scan.hasUsage = true
                    return scanner.skipValue()
                case "error":
                    if scanner.consumeNull() { return true }
                    scan.hasError = true
                    return scanner.skipValue()
                default:
                    return scanner.skipValue()
                }
            }
            return complete ? scan : nil
        }
    }

    private mutating func choice(_ scanner: inout JSONScanner) -> Bool {
        hasChoices = true
        var index = 0
        var text = ""
        var reasoning = ""
        var calls = 0
        var finish: String?
        let complete = scanner.object { key, scanner in
            switch key {
            case "index":
                guard let value = scanner.integer() else { return false }
                index = value
                return true
            case "delta", "message":
                if scanner.consumeNull() { return true }
                return Self.output(&scanner, into: &text, reasoning: &reasoning, calls: &calls)
            case "finish_reason":
                return scanner.optionalString(into: &finish)
            default:
                return scanner.skipValue()
            }
        }
        guard complete else { return false }
        record(index: index, text: text, calls: calls, finish: finish, reasoning: reasoning)
        return true
    }

    private mutating func record(index: Int, text: String, calls: Int, finish: String?, reasoning: String) {
        if !text.isEmpty || calls > 0 { output.append(ChoiceOutput(index: index, text: text, toolCalls: calls, reasoning: reasoning)) }
        if let finish {
            anyFinished = true
            if index == 0 { finishReason = finish }
        }
    }

    /// A `delta` or `message`: every field billed as output, appended to `text` (reasoning to
    /// `reasoning` as well); each tool call whose name is in it counted in `calls`.
    private static func output(_ scanner: inout JSONScanner, into text: inout String, reasoning: inout String, calls: inout Int) -> Bool {
        scanner.object { key, scanner in
            switch key {
            case "content", "refusal":
                return appendString(&scanner, to: &text)
            case "reasoning_content", "reasoning":
                if scanner.consumeNull() { return true }
                guard let value = scanner.string() else { return false }
                text += value
                reasoning += value
                return true
            case "tool_calls":
                if scanner.consumeNull() { return true }
                return scanner.array { scanner in
                    scanner.object { key, scanner in
                        key == "function" ? function(&scanner, into: &text, calls: &calls) : scanner.skipValue()
                    }
                }
            case "function_call":
                return function(&scanner, into: &text, calls: &calls)
            case "audio":
                if scanner.consumeNull() { return true }
                return scanner.object { key, scanner in
                    key == "transcript" ? appendString(&scanner, to: &text) : scanner.skipValue()
                }
            default:
                return scanner.skipValue()
            }
        }
    }

    /// `{"name": ..., "arguments": ...}`: both are generated, both are billed; a name starts a call
    /// (streamed, it comes once, in the call's first delta).
    private static func function(_ scanner: inout JSONScanner, into text: inout String, calls: inout Int) -> Bool {
        if scanner.consumeNull() { return true }
        return scanner.object { key, scanner in
            switch key {
            case "name":
                let before = text.utf8.count
                guard appendString(&scanner, to: &text) else { return false }
                if text.utf8.count > before { calls += 1 }
                return true
            case "arguments":
                return appendString(&scanner, to: &text)
            default:
                return scanner.skipValue()
            }
        }
    }

    private static func appendString(_ scanner: inout JSONScanner, to text: inout String) -> Bool {
        if scanner.consumeNull() { return true }
        guard let value = scanner.string() else { return false }
        text += value
        return true
    }

    // MARK: Slow path

    static func decoded(_ text: String) -> OutputScan? {
        guard let body = try? JSONDecoder().decode(LenientBody.self, from: Data(text.utf8)) else { return nil }
        var scan = OutputScan()
        scan.hasUsage = body.hasUsage
        scan.hasError = body.hasError
        for choice in body.choices ?? [] {
            scan.hasChoices = true
            let output = choice.delta ?? choice.message
            scan.record(
                index: choice.index ?? 0,
                text: output?.text ?? "",
                calls: output?.calls ?? 0,
                finish: choice.finishReason,
                reasoning: output?.reasoning ?? ""
            )
        }
        return scan
    }
}

/// `{"usage": ...}` and nothing else read.
private struct UsageEnvelope: Decodable {
    var usage: ChatCompletionsUsage?
}

/// The fields ``OutputScan`` reads, every one optional and tolerant of other types.
private struct LenientBody: Decodable {
    struct Choice: Decodable {
        var index: Int?
        var delta: Output?
        var message: Output?
        var finishReason: String?
        enum CodingKeys: String, CodingKey {
            case index, delta, message
            case finishReason = "finish_reason"
        }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            index = try? container.decodeIfPresent(Int.self, forKey: .index)
            delta = try? container.decodeIfPresent(Output.self, forKey: .delta)
            message = try? container.decodeIfPresent(Output.self, forKey: .message)
            finishReason = try? container.decodeIfPresent(String.self, forKey: .finishReason)
        }
    }

    struct Function: Decodable {
        var name: String?
        var arguments: String?
    }

    struct Output: Decodable {
        var text = ""
        var reasoning = ""
        var calls = 0
        enum CodingKeys: String, CodingKey {
            case content, reasoning, refusal, audio
            case reasoningContent = "reasoning_content"
            case toolCalls = "tool_calls"
            case functionCall = "function_call"
        }
        struct ToolCall: Decodable { var function: Function? }
        struct Audio: Decodable { var transcript: String? }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            for key in [CodingKeys.content, .reasoningContent, .reasoning, .refusal] {
                let value = (try? container.decodeIfPresent(String.self, forKey: key)) ?? nil ?? ""
                text += value
                if key == .reasoningContent || key == .reasoning { reasoning += value }
            }
            for call in (try? container.decodeIfPresent([ToolCall].self, forKey: .toolCalls)) ?? nil ?? [] {
                text += (call.function?.name ?? "") + (call.function?.arguments ?? "")
                if call.function?.name?.isEmpty == false { calls += 1 }
            }
            if let function = (try? container.decodeIfPresent(Function.self, forKey: .functionCall)) ?? nil {
                text += (function.name ?? "") + (function.arguments ?? "")
                if function.name?.isEmpty == false { calls += 1 }
            }
            text += ((try? container.decodeIfPresent(Audio.self, forKey: .audio)) ?? nil)?.transcript ?? ""
        }
    }

    var choices: [Choice]?
    var hasUsage = false
    var hasError = false

    enum CodingKeys: String, CodingKey { case choices, usage, error }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        choices = try? container.decodeIfPresent([Choice].self, forKey: .choices)
        hasUsage = container.contains(.usage) && !((try? container.decodeNil(forKey: .usage)) ?? true)
        hasError = container.contains(.error) && !((try? container.decodeNil(forKey: .error)) ?? true)
    }
}
