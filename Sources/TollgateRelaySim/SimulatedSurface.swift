import HTTPTypes
import TollgateStreaming

/// What a request asks of the simulator beyond plain generated text: the OpenAI surface a real
/// upstream produces (tool calls, reasoning, refusals, `n` choices, logprobs, structured output),
/// an upstream error status, or the replay of a recorded stream.
///
/// Natural request fields are honoured as a real upstream would: `n`, `logprobs`/`top_logprobs`,
/// `tools` (+ `tool_choice`, `parallel_tool_calls`), `response_format: json_schema`. What a model
/// decides by itself is asked for with the `tollgate_sim` request object or an `X-Sim-*` header
/// (the header wins); see ``SimulatorControl``. A request that asks for none of it is answered
/// exactly as before this existed.
struct SimulatedSurface: Sendable {
    /// Reasoning tokens before the answer (`reasoning_content`, DeepSeek's field).
    var reasoningTokens: Int
    /// Answer with a refusal (`refusal` instead of `content`).
    var refusal: Bool
    /// The function calls each choice makes (empty: answer in text).
    var toolCalls: [SimulatorRequest.Tool]
    /// Choices to generate.
    var choiceCount: Int
    /// Per-token logprobs, with this many alternatives each.
    var logprobs: Bool
    var topLogprobs: Int
    /// Answer with a JSON document matching this schema (structured output).
    var responseSchema: JSONValue?
    /// Answer with this HTTP error status and OpenAI's error body instead.
    var errorStatus: Int?
    /// `Retry-After` seconds of an error answer (429 and 503).
    var retryAfterSeconds: Int
    /// Replay this recorded fixture instead of generating.
    var replay: String?
    /// Send a line that is not JSON after this many output events and end the stream (a broken
    /// relay); a non-streamed answer is a 200 whose body is not JSON.
    var garbageAfter: Int?
    /// `false` when the request turned usage reporting off (`tollgate_sim.usage`; the
    /// `X-Sim-Usage` header does the same through ``SimulatedScenario/reportUsage``).
    var usage: Bool?

    /// A function offered to requests that ask for tool calls without sending `tools`.
    static let defaultTool = SimulatorRequest.Tool(
        name: "lookup",
        parameters: .object(["type": .string("object"), "properties": .object(["query": .object(["type": .string("string")])]),
                             "required": .array([.string("query")])])
    )

    /// A `tollgate_sim` control the simulator cannot follow; says which and what it takes.
    struct InvalidControl: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads the request; throws ``InvalidControl`` for an unknown `tollgate_sim` key or a value
    /// of the wrong type or range (headers, like the other `X-Sim-*` headers, are read leniently).
    init(request: SimulatorRequest, headers: HTTPFields) throws {
        let controls = request.controls
        try SimulatorControl.validate(controls)
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
        func int(_ key: String, _ name: String) -> Int? {
            if let value = header(name).flatMap({ Int($0) }) { return value }
            return controls[key]?.integerValue.map { Int(clamping: $0) }
        }
        func flag(_ key: String, _ name: String) -> Bool? {
            if let value = header(name) { return ["on", "true", "1", "yes"].contains(value.lowercased()) }
            if case .bool(let value)? = controls[key] { return value }
            return nil
        }
        reasoningTokens = max(0, int(SimulatorControl.reasoningTokens, SimulatorHeader.reasoningTokens) ?? 0)
        refusal = flag(SimulatorControl.refusal, SimulatorHeader.refusal) ?? false
        choiceCount = min(request.choiceCount, Self.maximumChoices)
        logprobs = request.logprobs
        topLogprobs = min(request.topLogprobs, 20)
        responseSchema = request.responseSchema
        errorStatus = int(SimulatorControl.status, SimulatorHeader.status).flatMap { (400...599).contains($0) ? $0 : nil }
        retryAfterSeconds = max(0, int(SimulatorControl.retryAfter, SimulatorHeader.retryAfter) ?? 1)
        garbageAfter = int(SimulatorControl.garbageAfter, SimulatorHeader.garbageAfter).map { max(0, $0) }
        if let name = header(SimulatorHeader.replay) {
            replay = name
        } else if case .string(let name)? = controls[SimulatorControl.replay] {
            replay = name
        } else {
            replay = nil
        }
        if case .bool(let value)? = controls[SimulatorControl.usage] { usage = value } else { usage = nil }

        let offered = request.tools.isEmpty ? [Self.defaultTool] : request.tools
        let forced = request.toolChoice.flatMap { choice in request.tools.first { $0.name == choice } }
        var callCount: Int
        if let asked = int(SimulatorControl.toolCalls, SimulatorHeader.toolCalls) {
            callCount = max(0, asked)
        } else if request.tools.isEmpty || request.toolChoice == "none" || request.endsWithToolResult {
            callCount = 0
        } else {
            callCount = 1
        }
        if !request.parallelToolCalls || forced != nil { callCount = min(callCount, 1) }
        callCount = min(callCount, Self.maximumToolCalls)
        toolCalls = (0..<callCount).map { index in forced ?? offered[index % offered.count] }
    }

    /// Whether the request asks for anything the plain generator does not produce.
    var isPlain: Bool {
        reasoningTokens == 0 && !refusal && toolCalls.isEmpty && choiceCount == 1 && !logprobs && responseSchema == nil
            && errorStatus == nil && replay == nil && garbageAfter == nil
    }

    /// Bounds on what one request can make the simulator generate.
    static let maximumChoices = 128
    static let maximumToolCalls = 16
}

/// Keys of the `tollgate_sim` request object, the per-request controls of the simulator's
/// OpenAI surface. A client reaches them through any OpenAI SDK as `extra_body={"tollgate_sim": {...}}`,
/// and a gateway forwarding the body unchanged passes them on.
public enum SimulatorControl {
    /// String: answer with the recorded fixture of that name, byte for byte (see ``RecordedReplay``).
    public static let replay = "replay"
    /// Bool: `false` drops usage from the answer (generated or replayed).
    public static let usage = "usage"
    /// Integer: stream this many reasoning tokens as `reasoning_content` before the answer.
    public static let reasoningTokens = "reasoning_tokens"
    /// Bool: answer with a refusal.
    public static let refusal = "refusal"
    /// Integer: make this many tool calls per choice (2 or more are parallel calls), cycling
    /// through the request's `tools` (or a built-in `lookup(query)` when it sends none).
    public static let toolCalls = "tool_calls"
    /// Integer 400–599: answer with that status, OpenAI's error body and headers.
    public static let status = "status"
    /// Integer: the `Retry-After` seconds of a 429 or 503 (default 1).
    public static let retryAfter = "retry_after"
    /// Integer: after this many output events send `data: ` + text that is not JSON and end the
    /// stream; a non-streamed answer is a 200 `text/html` page instead of JSON.
    public static let garbageAfter = "garbage_after"

    private static let ranges: [String: ClosedRange<Int64>] = [
        reasoningTokens: 0...100_000, toolCalls: 0...Int64(SimulatedSurface.maximumToolCalls), status: 400...599, retryAfter: 0...3600,
        garbageAfter: 0...1_000_000,
    ]
    private static let flags: Set<String> = [usage, refusal]

    static func validate(_ controls: [String: JSONValue]) throws {
        for (key, value) in controls.sorted(by: { $0.key < $1.key }) {
            if key == replay {
                guard case .string = value else { throw invalid("'\(key)' takes a fixture name (a string)") }
            } else if flags.contains(key) {
                guard case .bool = value else { throw invalid("'\(key)' takes true or false") }
            } else if let range = ranges[key] {
                guard let number = value.integerValue, range.contains(number) else {
                    throw invalid("'\(key)' takes a whole number from \(range.lowerBound) to \(range.upperBound)")
                }
            } else {
                let known = ([replay] + flags.sorted() + ranges.keys.sorted()).joined(separator: ", ")
                throw invalid("'\(key)' is not a simulator control (known: \(known))")
            }
        }
    }

    private static func invalid(_ message: String) -> SimulatedSurface.InvalidControl {
        SimulatedSurface.InvalidControl(description: "tollgate_sim: " + message + ".")
    }
}
