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
        parameters: .object([
            "type": .string("object"), "properties": .object(["query": .object(["type": .string("string")])]),
            "required": .array([.string("query")]),
        ])
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
