import TollgateStreaming

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
