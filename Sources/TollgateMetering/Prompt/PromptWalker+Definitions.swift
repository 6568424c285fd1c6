import TollgateStreaming
import TollgateTokenizers

/// Tool and function definitions, and the `response_format` schema.
///
/// Definitions follow the formula of OpenAI's cookbook "How to count tokens with tiktoken"
/// (github.com/openai/openai-cookbook, examples/How_to_count_tokens_with_tiktoken.ipynb, section 7,
/// `num_tokens_for_tools`), which matches the API's `prompt_tokens` on its example (101 for
/// gpt-4o, 105 for gpt-4):
///
///     per function:  func_init + tokens("name:description")            (one trailing "." dropped)
///     parameters:    prop_init once, then per property
///                    prop_key + tokens("key:type:description")
///                    + enum_init + Σ (enum_item + tokens(item))         when it has an enum
///     per list:      func_end
///
/// with func_init 7 (o200k_base models) or 10 (cl100k_base), prop_init 3, prop_key 3, enum_init −3,
/// enum_item 3, func_end 12. The cookbook covers flat parameters; nested `properties` (of an object
/// or of an array's `items`) are counted by the same rule, one level at a time. Other models'
/// chat templates (DeepSeek's, and the estimated Claude and Gemini counts) embed the definition as
/// JSON, so they count the larger of the formula and func_init + tokens(the definition's JSON).
extension PromptWalker {
    static let propertyInit = 3
    static let propertyKey = 3
    static let enumInit = -3
    static let enumItem = 3
    static let functionEnd = 12
    /// Nesting levels counted by the formula; deeper schemas count as their JSON text.
    static let nestingLimit = 16

    /// func_init: 7 for o200k_base models, 10 for cl100k_base and everything else.
    var functionInit: Int { counter.encoding == .o200kBase && counter.source == .exact ? 7 : 10 }
    /// Whether the cookbook's formula alone is the count (an exact OpenAI encoding).
    var formulaOnly: Bool { counter.source == .exact && counter.encoding != .deepseekV3 }

    mutating func definitions(_ value: JSONValue?, at path: String, wrapped: Bool) {
        switch value {
        case nil, .null?: return
        case .array(let items)?:
            var functions = 0
            for (index, item) in items.enumerated() {
                let itemPath = "\(path)[\(index)]"
                guard case .object(let fields) = item else {
                    invalid(item, at: itemPath, expected: wrapped ? "a tool object" : "a function object")
                    continue
                }
                guard !wrapped || Self.string(fields["type"]) ?? "function" == "function" else {
                    // A tool of another type (custom, a built-in): its JSON, as an estimate.
                    add(counter.count(Self.jsonText(item)), to: \.toolDefinitions)
                    markEstimated()
                    continue
                }
                guard let function = wrapped ? Self.object(fields["function"]) : fields else {
                    invalid(fields["function"] ?? .null, at: "\(itemPath).function", expected: "an object with name, description and parameters")
                    continue
                }
                functions += 1
                let (tokens, byFormula) = functionTokens(function)
                add(tokens, to: \.toolDefinitions)
                if !byFormula { markEstimated() }
            }
            if functions > 0 { add(Self.functionEnd, to: \.toolDefinitions) }
        case let other?:
            invalid(other, at: path, expected: wrapped ? "an array of tools" : "an array of functions")
        }
    }

    /// The function's tokens, and whether the cookbook's formula alone counted them (flat
    /// parameters, an OpenAI encoding): anything else is an estimate.
    private func functionTokens(_ function: [String: JSONValue]) -> (tokens: Int, byFormula: Bool) {
        let name = Self.string(function["name"]) ?? ""
        let description = Self.droppingPeriod(Self.string(function["description"]) ?? "")
        var tokens = functionInit + counter.count("\(name):\(description)")
        var nested = false
        if let properties = Self.object(Self.object(function["parameters"])?["properties"]), !properties.isEmpty {
            tokens += Self.propertyInit + propertyTokens(properties, depth: 1, nested: &nested)
        }
        if formulaOnly { return (tokens, !nested) }
        return (max(tokens, functionInit + counter.count(Self.jsonText(.object(function)))), false)
    }

    private func propertyTokens(_ properties: [String: JSONValue], depth: Int, nested found: inout Bool) -> Int {
        var tokens = 0
        for (key, value) in properties {
            tokens += Self.propertyKey
            let schema = Self.object(value) ?? [:]
            if case .array(let items)? = schema["enum"], !items.isEmpty {
                tokens += Self.enumInit
                for item in items { tokens += Self.enumItem + counter.count(Self.string(item) ?? Self.jsonText(item)) }
            }
            let description = Self.droppingPeriod(Self.string(schema["description"]) ?? "")
            tokens += counter.count("\(key):\(Self.typeName(schema["type"])):\(description)")
            for nested in [Self.object(schema["properties"]), Self.object(Self.object(schema["items"])?["properties"])] {
                guard let nested, !nested.isEmpty else { continue }
                found = true
                tokens += Self.propertyInit
                tokens +=
                    depth < Self.nestingLimit
                    ? propertyTokens(nested, depth: depth + 1, nested: &found) : counter.count(Self.jsonText(.object(nested)))
            }
        }
        return tokens
    }

    /// A JSON schema's `type`: a name, or names of a union joined (`string | null`).
    private static func typeName(_ value: JSONValue?) -> String {
        switch value {
        case .string(let name)?: name
        case .array(let names)?: names.compactMap(string).joined(separator: " | ")
        default: ""
        }
    }

    private static func droppingPeriod(_ text: String) -> String {
        text.hasSuffix(".") ? String(text.dropLast()) : text
    }

    /// `json_schema` costs its name, description and the schema's compact JSON text: OpenAI
    /// publishes no formula, and the schema's text is what a model must be shown. An estimate.
    /// `text` and `json_object` cost nothing; an unknown type counts as its JSON text.
    mutating func responseFormat(_ value: JSONValue?) {
        switch value {
        case nil, .null?: return
        case .object(let fields)?:
            switch Self.string(fields["type"]) {
            case "text", "json_object": return
            case "json_schema":
                guard let schema = Self.object(fields["json_schema"]) else {
                    return invalid(fields["json_schema"] ?? .null, at: "response_format.json_schema", expected: "an object with name and schema")
                }
                markEstimated()
                let texts = [Self.string(schema["name"]), Self.string(schema["description"]), schema["schema"].map(Self.jsonText)]
                add(texts.compactMap { $0 }.reduce(0) { $0 + counter.count($1) }, to: \.responseFormat)
            default:
                unrecognized(.object(fields))
            }
        case let other?:
            invalid(other, at: "response_format", expected: "an object with a type")
        }
    }
}
