#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TollgateStreaming

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
        let root: [String: JSONValue]
        do {
            root = try JSONDecoder().decode([String: JSONValue].self, from: body)
        } catch {
            throw Invalid(description: "the body is not a JSON object: \(error)")
        }
        guard case .string(let model)? = root["model"] else {
            throw Invalid(description: "'model' is missing or not a string")
        }
        guard case .array(let rawMessages)? = root["messages"] else {
            throw Invalid(description: "'messages' is missing or not an array")
        }
        var messages: [Message] = []
        for (index, raw) in rawMessages.enumerated() {
            guard case .object(let message) = raw, case .string(let role)? = message["role"] else {
                throw Invalid(description: "messages[\(index)] is not an object with a string 'role'")
            }
            messages.append(Message(role: role, text: Self.text(of: message["content"])))
        }
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
                      case .string(let name)? = function["name"] else { continue }
                tools.append(Tool(name: name, parameters: function["parameters"]))
            }
        }
        self.tools = tools
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
           case .object(let wrapper)? = format["json_schema"] {
            responseSchema = wrapper["schema"] ?? .object([:])
        } else if case .object(let format)? = root["response_format"], format["type"] == .string("json_object") {
            // JSON mode promises a JSON object, any object.
            responseSchema = .object(["type": .string("object"), "properties": .object(["answer": .object(["type": .string("string")])]),
                                      "required": .array([.string("answer")])])
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

    /// Whether the conversation ends with a tool result, which a model answers in text.
    var endsWithToolResult: Bool {
        guard let last = messages.last?.role else { return false }
        return last == "tool" || last == "function"
    }

    /// The text of a `content`: a string, the `text` parts of an array joined, or empty.
    private static func text(of content: JSONValue?) -> String {
        switch content {
        case .string(let text)?: return text
        case .array(let parts)?:
            return parts.compactMap { part -> String? in
                guard case .object(let part) = part, case .string(let text)? = part["text"] else { return nil }
                return text
            }.joined()
        default: return ""
        }
    }
}
