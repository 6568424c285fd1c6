import TollgateStreaming

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Chat Completions request as the simulator reads it: leniently, so every valid body is
/// answered (any role, `content` as a string, an array of parts or `null`, assistant `tool_calls`,
/// `name`s, fields nobody here knows), as a real upstream would.
struct SimulatorRequest: Sendable {
    /// One message reduced to what the generated text depends on.
    struct Message: Sendable, Hashable {
        let role: String
        let text: String
    }

    /// A function the client offered (`tools[].function`).
    struct Tool: Sendable {
        let name: String
        let parameters: JSONValue?
    }

    let model: String
    let messages: [Message]
    let stream: Bool
    let includeUsage: Bool
    /// `max_tokens`, else `max_completion_tokens`.
    let maxTokens: Int?
    let seed: Int64?
    /// Choices asked for (`n`, at least 1).
    let choiceCount: Int
    /// `logprobs: true`.
    let logprobs: Bool
    /// `top_logprobs`, 0 when absent.
    let topLogprobs: Int
    let tools: [Tool]
    /// `tools` and the legacy `functions` as sent, for their prompt tokens (``definitionTokens(_:)``).
    let definitions: (tools: JSONValue?, functions: JSONValue?)
    /// `tool_choice`: `"none"`, `"auto"`, `"required"`, or the name of a forced function.
    let toolChoice: String?
    /// `parallel_tool_calls`, true unless sent as false.
    let parallelToolCalls: Bool
    /// `response_format.json_schema.schema` when the format is `json_schema`; for `json_object`, a
    /// one-string-field object schema.
    let responseSchema: JSONValue?
    /// The `tollgate_sim` object: per-request simulator controls (see ``SimulatedSurface``).
    let controls: [String: JSONValue]

    /// The body is not a chat completion request; says what is wrong.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(body: Data) throws {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: body)
        } catch let invalid as Invalid {
            throw invalid
        } catch {
            // Escaped lone surrogates are valid JSON a real upstream accepts: read them as U+FFFD.
            guard let replaced = LoneSurrogates.replaced(in: Array(body)), let read = try? JSONDecoder().decode(Wire.self, from: Data(replaced))
            else {
                throw Invalid(description: "the body is not a JSON object: \(error)")
            }
            wire = read
        }
        let root = wire.fields
        let model = wire.model
        let messages = wire.messages.map { Message(role: $0.role, text: $0.text) }
        self.model = model
        self.messages = messages
        stream = root["stream"] == .bool(true)
        if case .object(let options)? = root["stream_options"] {
            includeUsage = options["include_usage"] == .bool(true)
        } else {
            includeUsage = false
        }
        maxTokens = (root["max_tokens"]?.integerValue ?? root["max_completion_tokens"]?.integerValue).map { Int(clamping: $0) }
        seed = root["seed"]?.integerValue
        choiceCount = max(1, root["n"]?.integerValue.map { Int(clamping: $0) } ?? 1)
        logprobs = root["logprobs"] == .bool(true)
        topLogprobs = max(0, root["top_logprobs"]?.integerValue.map { Int(clamping: $0) } ?? 0)
        var tools: [Tool] = []
        if case .array(let rawTools)? = root["tools"] {
            for raw in rawTools {
                guard case .object(let tool) = raw, case .object(let function)? = tool["function"],
                    case .string(let name)? = function["name"]
                else { continue }
                tools.append(Tool(name: name, parameters: function["parameters"]))
            }
        }
        self.tools = tools
        definitions = (root["tools"], root["functions"])
        switch root["tool_choice"] {
        case .string(let choice)?: toolChoice = choice
        case .object(let choice)?:
            if case .object(let function)? = choice["function"], case .string(let name)? = function["name"] {
                toolChoice = name
            } else {
                toolChoice = nil
            }
        default: toolChoice = nil
        }
        parallelToolCalls = root["parallel_tool_calls"] != .bool(false)
        if case .object(let format)? = root["response_format"], format["type"] == .string("json_schema"),
            case .object(let wrapper)? = format["json_schema"]
        {
            responseSchema = wrapper["schema"] ?? .object([:])
        } else if case .object(let format)? = root["response_format"], format["type"] == .string("json_object") {
            // JSON mode promises a JSON object, any object.
            responseSchema = .object([
                "type": .string("object"), "properties": .object(["answer": .object(["type": .string("string")])]),
                "required": .array([.string("answer")]),
            ])
        } else {
            responseSchema = nil
        }
        switch root["tollgate_sim"] {
        case .object(let controls)?: self.controls = controls
        case nil, .null?: self.controls = [:]
        default: throw Invalid(description: "'tollgate_sim' must be an object of simulator controls, e.g. {\"replay\": \"openai-tool-call\"}")
        }
    }

    /// The prompt the generated text is derived from: `role: text` lines, exactly as for the
    /// simulator's WebSocket protocol when every message is plain text.
    var promptText: String {
        messages.map { "\($0.role): \($0.text)" }.joined(separator: "\n")
    }

    /// What the offered tool definitions add to `prompt_tokens`, as a real upstream bills them
    /// (``SimulatedToolTokens``); 0 without tools.
    func definitionTokens(_ counter: SimulatorTokenCounter) -> Int {
        SimulatedToolTokens.count(tools: definitions.tools, functions: definitions.functions) { counter(model, $0) }
    }

    /// Whether the conversation ends with a tool result, which a model answers in text.
    var endsWithToolResult: Bool {
        guard let last = messages.last?.role else { return false }
        return last == "tool" || last == "function"
    }

}

/// The body as decoded: the messages typed (no per-value guessing on the hot path), the other
/// fields of interest as `JSONValue` so a value of an unexpected type is ignored, not an error;
/// every other field is skipped unread.
private struct Wire: Decodable {
    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// One message: its role and the text of its `content` (a string, the `text` parts of an
    /// array joined, or empty for `null` or anything else).
    struct WireMessage: Decodable {
        let role: String
        let text: String

        private struct Part: Decodable { let text: String? }
        private enum CodingKeys: String, CodingKey { case role, content }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            role = try container.decode(String.self, forKey: .role)
            if let text = try? container.decode(String.self, forKey: .content) {
                self.text = text
            } else if let parts = try? container.decode([Part].self, forKey: .content) {
                text = parts.compactMap(\.text).joined()
            } else {
                text = ""
            }
        }
    }

    static let optionalKeys = [
        "stream", "stream_options", "max_tokens", "max_completion_tokens", "seed", "n", "logprobs",
        "top_logprobs", "tools", "functions", "tool_choice", "parallel_tool_calls", "response_format", "tollgate_sim",
    ]

    let model: String
    let messages: [WireMessage]
    let fields: [String: JSONValue]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard let model = try? container.decode(String.self, forKey: Key("model")) else {
            throw SimulatorRequest.Invalid(description: "'model' is missing or not a string")
        }
        guard let messages = try? container.decode([WireMessage].self, forKey: Key("messages")) else {
            throw SimulatorRequest.Invalid(description: "'messages' must be an array of objects, each with a string 'role'")
        }
        var fields: [String: JSONValue] = [:]
        for name in Self.optionalKeys where container.contains(Key(name)) {
            fields[name] = try container.decode(JSONValue.self, forKey: Key(name))
        }
        self.model = model
        self.messages = messages
        self.fields = fields
    }
}
