import TollgateStreaming
import TollgateTokenizers

/// One pass over a request body, adding each part's tokens to a ``PromptCount``. Every value is
/// visited once and every string counted once, so the time is linear in the body's size.
struct PromptWalker {
    let counter: ModelTokenCounter
    let settings: MeteringSettings
    private(set) var result = PromptCount()

    init(counter: ModelTokenCounter, settings: MeteringSettings) {
        self.counter = counter
        self.settings = settings
    }

    mutating func walk(_ body: JSONValue) {
        result.breakdown.framing += settings.replyPrimingTokens
        guard case .object(let fields) = body else {
            return invalid(body, at: "body", expected: "a JSON object")
        }
        switch fields["messages"] {
        case .array(let messages)?:
            for (index, message) in messages.enumerated() { self.message(message, at: "messages[\(index)]") }
        case nil:
            problem(at: "messages", "missing; expected an array of messages")
        case let other?:
            invalid(other, at: "messages", expected: "an array of messages")
        }
        definitions(fields["tools"], at: "tools", wrapped: true)
        definitions(fields["functions"], at: "functions", wrapped: false)
        responseFormat(fields["response_format"])
    }

    private mutating func message(_ value: JSONValue, at path: String) {
        result.breakdown.framing += settings.tokensPerMessage
        guard case .object(let fields) = value else { return invalid(value, at: path, expected: "a message object") }
        switch fields["role"] {
        case .string(let role)?: result.breakdown.framing += counter.count(role)
        case nil: problem(at: "\(path).role", "missing; expected system, developer, user, assistant, tool or function")
        case let other?: invalid(other, at: "\(path).role", expected: "a string")
        }
        content(fields["content"], at: "\(path).content")
        switch fields["name"] {
        case .string(let name)?: result.breakdown.names += counter.count(name) + PromptCounting.tokensPerName
        case nil, .null?: break
        case let other?: invalid(other, at: "\(path).name", expected: "a string")
        }
        if case .string(let refusal)? = fields["refusal"] { result.breakdown.text += counter.count(refusal) }
        // Reasoning sent back in history (DeepSeek's thinking-mode tool loops ask for it within a
        // turn) is input the upstream may bill; where it ignores it, counting errs high.
        for key in ["reasoning_content", "reasoning"] {
            if case .string(let reasoning)? = fields[key] {
                result.breakdown.text += counter.count(reasoning)
                result.estimated = true
            }
        }
        // A previous audio answer referenced by id: billed as audio input of a length Tollgate
        // cannot see, so the count is an estimate (the upstream's usage settles it).
        if case .object? = fields["audio"] { result.estimated = true }
        switch fields["tool_calls"] {
        case .array(let calls)?:
            for (index, call) in calls.enumerated() { toolCall(call, at: "\(path).tool_calls[\(index)]") }
        case nil, .null?: break
        case let other?: invalid(other, at: "\(path).tool_calls", expected: "an array of tool calls")
        }
        switch fields["function_call"] {
        case .object(let call)?: functionCall(call, at: "\(path).function_call")
        case nil, .null?: break
        case let other?: invalid(other, at: "\(path).function_call", expected: "an object with name and arguments")
        }
    }

    private mutating func content(_ value: JSONValue?, at path: String) {
        switch value {
        case nil, .null?: break
        case .string(let text)?: result.breakdown.text += counter.count(text)
        case .array(let parts)?:
            for (index, part) in parts.enumerated() { self.part(part, at: "\(path)[\(index)]") }
        case let other?: invalid(other, at: path, expected: "a string, an array of content parts, or null")
        }
    }

    /// An assistant's tool call in history: its function (or custom tool) name and arguments, plus
    /// the per-message overhead, as each call is rendered like a message of its own. No formula is
    /// published for this rendering, so the count is marked estimated.
    private mutating func toolCall(_ value: JSONValue, at path: String) {
        guard case .object(let fields) = value else { return invalid(value, at: path, expected: "a tool call object") }
        if case .object(let function)? = fields["function"] {
            functionCall(function, at: "\(path).function")
        } else if case .object(let custom)? = fields["custom"] {
            result.estimated = true
            result.breakdown.framing += settings.tokensPerMessage
            result.breakdown.toolCalls += Self.string(custom["name"]).map(counter.count) ?? 0
            result.breakdown.toolCalls += Self.string(custom["input"]).map(counter.count) ?? 0
        } else {
            invalid(value, at: path, expected: "a tool call with a function (name, arguments)")
        }
    }

    private mutating func functionCall(_ fields: [String: JSONValue], at path: String) {
        result.estimated = true
        result.breakdown.framing += settings.tokensPerMessage
        result.breakdown.toolCalls += Self.string(fields["name"]).map(counter.count) ?? 0
        switch fields["arguments"] {
        case .string(let arguments)?: result.breakdown.toolCalls += counter.count(arguments)
        case nil, .null?: break
        case let other?:
            problem(at: "\(path).arguments", "expected a JSON string, got \(Self.kind(of: other))")
            result.breakdown.toolCalls += counter.count(Self.jsonText(other))
        }
    }

    // MARK: Shared

    /// A value of the wrong shape: reported, and counted as its JSON text so it is never free.
    mutating func invalid(_ value: JSONValue, at path: String, expected: String) {
        problem(at: path, "expected \(expected), got \(Self.kind(of: value))")
        unrecognized(value)
    }

    /// A value of a type this counter does not know (a future part or tool type): its JSON text,
    /// marked as an estimate, not a problem.
    mutating func unrecognized(_ value: JSONValue) {
        result.breakdown.unrecognized += counter.count(Self.jsonText(value))
        result.estimated = true
    }

    mutating func problem(at path: String, _ message: String) {
        result.problems.append(PromptCount.Problem(path: path, message: message))
    }

    mutating func markEstimated() { result.estimated = true }

    mutating func add(_ tokens: Int, to field: WritableKeyPath<PromptCount.Breakdown, Int>) {
        result.breakdown[keyPath: field] += tokens
    }

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    static func object(_ value: JSONValue?) -> [String: JSONValue]? {
        if case .object(let fields)? = value { return fields }
        return nil
    }

    /// How a value is named in a problem: `a number`, `a string`, ...
    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Compact JSON with sorted keys: what a value of unknown shape is counted as.
    static func jsonText(_ value: JSONValue) -> String {
        var text = ""
        appendJSON(value, to: &text)
        return text
    }

    private static func appendJSON(_ value: JSONValue, to text: inout String) {
        switch value {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .integer(let number): text += String(number)
        case .number(let number): text += "\(number)"
        case .string(let string): JSONOutput.appendString(string, to: &text)
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                appendJSON(item, to: &text)
            }
            text += "]"
        case .object(let fields):
            text += "{"
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                JSONOutput.appendString(key, to: &text)
                text += ":"
                appendJSON(fields[key]!, to: &text)
            }
            text += "}"
        }
    }
}
