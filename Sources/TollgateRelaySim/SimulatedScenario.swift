import HTTPTypes

/// Per-request overrides of ``RelaySimulatorConfiguration``, read from `X-Sim-*` headers.
public enum SimulatorHeader {
    /// Pieces per chunk (integer).
    public static let chunkSize = "X-Sim-Chunk-Size"
    /// Pacing in pieces per second (number; 0 = unpaced).
    public static let tokensPerSecond = "X-Sim-Tokens-Per-Second"
    /// Delay before the first content chunk, in milliseconds.
    public static let timeToFirstTokenMs = "X-Sim-TTFT-Ms"
    /// Pieces generated (integer).
    public static let outputTokens = "X-Sim-Output-Tokens"
    /// Pieces to send past the request's `max_tokens` (integer): an upstream that overshoots it.
    public static let overshoot = "X-Sim-Overshoot"
    /// `on` or `off`: report usage.
    public static let usage = "X-Sim-Usage"
    /// Cached prompt tokens to report on SSE (integer).
    public static let cachedTokens = "X-Sim-Cached-Tokens"
    /// Drop the connection after N chunks.
    public static let dropAfter = "X-Sim-Drop-After"
    /// Send an error frame after N chunks.
    public static let errorAfter = "X-Sim-Error-After"
    /// Stall after N chunks ...
    public static let stallAfter = "X-Sim-Stall-After"
    /// ... for this many milliseconds.
    public static let stallMs = "X-Sim-Stall-Ms"
    /// `key`, `model` or `rate-limit`: reject the request that way.
    public static let reject = "X-Sim-Reject"
    /// Refuse the first N WebSocket upgrades that carry the same ``attemptKey``.
    public static let refuseAttempts = "X-Sim-Refuse-Attempts"
    /// Groups connection attempts for ``refuseAttempts``.
    public static let attemptKey = "X-Sim-Attempt-Key"
    /// `INPUT,OUTPUT`: report these token counts as usage instead of the real ones (either may be empty).
    public static let reportUsage = "X-Sim-Report-Usage"
    /// Generation seed (integer); a request's `seed` extra takes precedence.
    public static let seed = "X-Sim-Seed"
    /// Answer with the recorded fixture of this name (as `tollgate_sim.replay`).
    public static let replay = "X-Sim-Replay"
    /// Reasoning tokens to stream before the answer (as `tollgate_sim.reasoning_tokens`).
    public static let reasoningTokens = "X-Sim-Reasoning-Tokens"
    /// `on`: answer with a refusal (as `tollgate_sim.refusal`).
    public static let refusal = "X-Sim-Refusal"
    /// Tool calls per choice (as `tollgate_sim.tool_calls`).
    public static let toolCalls = "X-Sim-Tool-Calls"
    /// HTTP error status to answer with (as `tollgate_sim.status`).
    public static let status = "X-Sim-Status"
    /// `Retry-After` seconds of that error (as `tollgate_sim.retry_after`).
    public static let retryAfter = "X-Sim-Retry-After"
    /// Send a non-JSON line after N output events and end (as `tollgate_sim.garbage_after`).
    public static let garbageAfter = "X-Sim-Garbage-After"
}

/// The behaviour of one simulated request: configuration defaults with header overrides applied.
public struct SimulatedScenario: Sendable {
    /// Pieces per chunk.
    public var chunkSize: Int
    /// Pieces per second, `nil` for unpaced.
    public var tokensPerSecond: Double?
    /// Delay before the first content chunk.
    public var timeToFirstToken: Duration
    /// Pieces to generate before `max_tokens` is applied.
    public var outputTokens: Int
    /// Pieces sent past `max_tokens`, as an upstream that overshoots it would.
    public var overshoot: Int
    /// Whether usage is reported.
    public var reportUsage: Bool
    /// Cached prompt tokens to report on SSE.
    public var cachedTokens: Int?
    /// Faults to inject.
    public var faults: RelaySimulatorConfiguration.Faults
    /// Prompt and completion tokens to report as usage: the real counts unless a fault overrides them.
    public func reportedUsage(input: Int, output: Int) -> (input: Int, output: Int) {
        (faults.reportedInputTokens ?? input, faults.reportedOutputTokens ?? output)
    }
    /// Seed from the header, if any.
    public var seed: Int64?
    /// Upgrades to refuse, with the key grouping them.
    public var refuseAttempts: (count: Int, key: String)? {
        guard let refuseCount, refuseCount > 0 else { return nil }
        return (refuseCount, attemptKey ?? "")
    }

    var refuseCount: Int?
    var attemptKey: String?
    /// The `Authorization` header as sent, kept only for ``RelaySimulatorConfiguration/Faults/echoKey``.
    var presentedAuthorization: String?

    /// What an error message quotes under ``RelaySimulatorConfiguration/Faults/echoKey``: the bare
    /// key and the header it came in, or nothing.
    func keyEcho(_ key: String?) -> String {
        guard faults.echoKey else { return "" }
        return " Incorrect API key provided: \(key ?? "none") (Authorization: \(presentedAuthorization ?? "none"))."
    }

    /// Applies the `X-Sim-*` headers of a request to the configuration.
    public init(configuration: RelaySimulatorConfiguration, headers: HTTPFields) {
        func value(_ name: String) -> String? {
            HTTPField.Name(name).flatMap { headers[$0] }
        }
        func int(_ name: String) -> Int? { value(name).flatMap { Int($0) } }
        chunkSize = max(1, int(SimulatorHeader.chunkSize) ?? configuration.chunkSize)
        if let rate = value(SimulatorHeader.tokensPerSecond).flatMap({ Double($0) }) {
            tokensPerSecond = rate > 0 ? rate : nil
        } else {
            tokensPerSecond = configuration.tokensPerSecond
        }
        timeToFirstToken = int(SimulatorHeader.timeToFirstTokenMs).map { .milliseconds($0) } ?? configuration.timeToFirstToken
        outputTokens = max(0, int(SimulatorHeader.outputTokens) ?? configuration.outputTokens)
        overshoot = max(0, int(SimulatorHeader.overshoot) ?? configuration.overshoot)
        reportUsage = value(SimulatorHeader.usage).map { $0.lowercased() != "off" } ?? configuration.reportUsage
        cachedTokens = int(SimulatorHeader.cachedTokens) ?? configuration.cachedTokens
        var faults = configuration.faults
        if let count = int(SimulatorHeader.dropAfter) { faults.dropAfterChunks = count }
        if let count = int(SimulatorHeader.errorAfter) { faults.errorAfterChunks = count }
        if let count = int(SimulatorHeader.stallAfter) { faults.stallAfterChunks = count }
        if let ms = int(SimulatorHeader.stallMs) { faults.stallDuration = .milliseconds(ms) }
        if let reported = value(SimulatorHeader.reportUsage) {
            let parts = reported.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            faults.reportedInputTokens = parts.first ?? nil
            faults.reportedOutputTokens = parts.count > 1 ? parts[1] : nil
        }
        switch value(SimulatorHeader.reject)?.lowercased() {
        case "key": faults.rejectKey = true
        case "model": faults.rejectModel = true
        case "rate-limit": faults.rateLimit = true
        default: break
        }
        self.faults = faults
        seed = value(SimulatorHeader.seed).flatMap { Int64($0) }
        refuseCount = int(SimulatorHeader.refuseAttempts)
        attemptKey = value(SimulatorHeader.attemptKey)
        presentedAuthorization = headers[.authorization]
    }
}
