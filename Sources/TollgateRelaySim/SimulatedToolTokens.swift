import TollgateStreaming

/// What the tool definitions a request offers add to its `prompt_tokens`, as a real upstream bills
/// them (they are rendered into the model's prompt).
///
/// The method is the one OpenAI publishes, its cookbook "How to count tokens with tiktoken"
/// (github.com/openai/openai-cookbook, examples/How_to_count_tokens_with_tiktoken.ipynb, section 7,
/// `num_tokens_for_tools`), with its gpt-4o / gpt-4.1 constants, counted with the simulator's
/// injected counter (the real tokenizers under `tollgate relay-sim` and `serve`):
///
///     per function:  7 + tokens("name:description")                  (one trailing "." dropped)
///     parameters:    3 once, then per property 3 + tokens("key:type:description")
///                    + (−3 + Σ (3 + tokens(item)) when it has an enum)
///     per list:      12
///
/// nested `properties` (an object's, or an array's `items`') counted by the same rule. Admission
/// counts OpenAI models' definitions by this formula too (`PromptWalker+Definitions`), so a
/// simulated bill matches the admission estimate on the tools. Close enough, not exact, elsewhere:
/// cl100k models' upstreams use 10 per function, and DeepSeek's template embeds the definition's
/// JSON (admission then takes the larger of the two counts; the simulator always this one).
enum SimulatedToolTokens {
    static let functionInit = 7
    static let propertyInit = 3
    static let propertyKey = 3
    static let enumInit = -3
    static let enumItem = 3
    static let functionEnd = 12
    /// Nesting levels counted; deeper schemas add nothing (a simulator need not be exact there).
    static let nestingLimit = 16

    /// Tokens of the function definitions in `tools` (type `function`) and the legacy `functions`.
    static func count(tools: JSONValue?, functions: JSONValue?, count: (String) -> Int) -> Int {
        var definitions: [[String: JSONValue]] = []
        if case .array(let items)? = tools {
            for item in items {
                guard case .object(let tool) = item, tool["type"] ?? .string("function") == .string("function"),
                    case .object(let function)? = tool["function"]
                else { continue }
                definitions.append(function)
            }
        }
        if case .array(let items)? = functions {
            for case .object(let function) in items { definitions.append(function) }
        }
        guard !definitions.isEmpty else { return 0 }
        return definitions.reduce(functionEnd) { $0 + functionTokens($1, count: count) }
    }

    private static func functionTokens(_ function: [String: JSONValue], count: (String) -> Int) -> Int {
        var tokens = functionInit + count("\(text(function["name"])):\(droppingPeriod(text(function["description"])))")
        if case .object(let parameters)? = function["parameters"], case .object(let properties)? = parameters["properties"], !properties.isEmpty {
            tokens += propertyInit + propertyTokens(properties, depth: 1, count: count)
        }
        return tokens
    }

    private static func propertyTokens(_ properties: [String: JSONValue], depth: Int, count: (String) -> Int) -> Int {
        var tokens = 0
        for (key, value) in properties {
            guard case .object(let schema) = value else {
                tokens += propertyKey + count("\(key)::")
                continue
            }
            tokens += propertyKey
            if case .array(let items)? = schema["enum"], !items.isEmpty {
                tokens += enumInit + items.reduce(0) { $0 + enumItem + count(text($1)) }
            }
            tokens += count("\(key):\(typeName(schema["type"])):\(droppingPeriod(text(schema["description"])))")
            guard depth < nestingLimit else { continue }
            var nested: [JSONValue?] = [schema["properties"]]
            if case .object(let items)? = schema["items"] { nested.append(items["properties"]) }
            for case .object(let inner)? in nested where !inner.isEmpty {
                tokens += propertyInit + propertyTokens(inner, depth: depth + 1, count: count)
            }
        }
        return tokens
    }

    /// A string's text, a number's or a literal's spelling; "" for anything else.
    private static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: text
        case .integer(let number)?: String(number)
        case .bool(let flag)?: flag ? "true" : "false"
        default: ""
        }
    }

    /// A JSON schema's `type`: a name, or a union's names joined (`string | null`).
    private static func typeName(_ value: JSONValue?) -> String {
        switch value {
        case .string(let name)?: name
        case .array(let names)?: names.map { text($0) }.joined(separator: " | ")
        default: ""
        }
    }

    private static func droppingPeriod(_ text: String) -> String {
        text.hasSuffix(".") ? String(text.dropLast()) : text
    }
}
