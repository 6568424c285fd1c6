/// Settings of the local relay simulator: the flags of `tollgate relay-sim`.
///
/// Every field can also be overridden per request with an `X-Sim-*` header (see ``SimulatedScenario``),
/// so one running simulator serves tests that need different behaviour.
public struct RelaySimulatorConfiguration: Sendable, Hashable {
    /// Faults injected into every stream (or, via headers, into one request).
    public struct Faults: Sendable, Hashable {
        /// Close the TCP connection abruptly after this many content chunks.
        public var dropAfterChunks: Int?
        /// Send an error frame / SSE error event after this many content chunks.
        public var errorAfterChunks: Int?
        /// Pause after this many content chunks for ``stallDuration``.
        public var stallAfterChunks: Int?
        /// Length of the pause of ``stallAfterChunks``.
        public var stallDuration: Duration
        /// Reject every key with 401.
        public var rejectKey: Bool
        /// Reject every model with 400 listing the valid ones.
        public var rejectModel: Bool
        /// Answer 429.
        public var rateLimit: Bool
        /// Quote the presented key in every error message, as careless relays do ("Incorrect API
        /// key provided: …"): what a gateway's secret scrubbing is tested against.
        public var echoKey: Bool
        /// Report these prompt tokens instead of the real count (a lying or broken relay).
        public var reportedInputTokens: Int?
        /// Report these completion tokens instead of the real count (negative, huge, zero, ...).
        public var reportedOutputTokens: Int?

        /// Creates a fault set; the default injects nothing.
        public init(
            dropAfterChunks: Int? = nil,
            errorAfterChunks: Int? = nil,
            stallAfterChunks: Int? = nil,
            stallDuration: Duration = .seconds(5),
            rejectKey: Bool = false,
            rejectModel: Bool = false,
            rateLimit: Bool = false,
            echoKey: Bool = false,
            reportedInputTokens: Int? = nil,
            reportedOutputTokens: Int? = nil
        ) {
            self.dropAfterChunks = dropAfterChunks
            self.errorAfterChunks = errorAfterChunks
            self.stallAfterChunks = stallAfterChunks
            self.stallDuration = stallDuration
            self.rejectKey = rejectKey
            self.rejectModel = rejectModel
            self.rateLimit = rateLimit
            self.echoKey = echoKey
            self.reportedInputTokens = reportedInputTokens
            self.reportedOutputTokens = reportedOutputTokens
        }
    }

    /// The models the relay serves, as in the relay guide.
    public static let defaultModels = ["gpt-4.1", "claude-sonnet-4.5", "gemini-2.5-flash", "deepseek-v3.2"]

    /// Interface to bind; loopback by default so the simulator is never exposed by accident.
    public var host: String
    /// Port to bind; 0 picks a free one (reported through `onServerRunning`).
    public var port: Int
    /// When set, only this key is accepted; otherwise any non-empty key is.
    public var apiKey: String?
    /// Models served; others get 400.
    public var models: [String]
    /// Text pieces (words or punctuation) per content chunk.
    public var chunkSize: Int
    /// Pacing in pieces per second; `nil` streams as fast as the client reads.
    public var tokensPerSecond: Double?
    /// Delay before the first content chunk.
    public var timeToFirstToken: Duration
    /// Pieces generated per response, unless the request's `max_tokens` is lower.
    public var outputTokens: Int
    /// Pieces sent past a request's `max_tokens`, as an upstream that overshoots it would.
    public var overshoot: Int
    /// Whether usage is reported (`message_done.usage`, the SSE usage chunk, the JSON body).
    public var reportUsage: Bool
    /// `prompt_tokens_details.cached_tokens` reported on the SSE protocol; `nil` omits the field.
    public var cachedTokens: Int?
    /// Faults to inject.
    public var faults: Faults
    /// The folder of recorded answers a request can ask to replay (`tollgate_sim.replay`,
    /// `X-Sim-Replay`); see ``RecordedReplay``. `nil`: replay requests get 400 saying how to set it.
    public var replayDirectory: String?

    /// Creates a configuration; every parameter has a default.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        apiKey: String? = nil,
        models: [String] = RelaySimulatorConfiguration.defaultModels,
        chunkSize: Int = 1,
        tokensPerSecond: Double? = nil,
        timeToFirstToken: Duration = .zero,
        outputTokens: Int = 32,
        overshoot: Int = 0,
        reportUsage: Bool = true,
        cachedTokens: Int? = nil,
        faults: Faults = Faults(),
        replayDirectory: String? = nil
    ) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.models = models
        self.chunkSize = max(1, chunkSize)
        self.tokensPerSecond = tokensPerSecond
        self.timeToFirstToken = timeToFirstToken
        self.outputTokens = max(0, outputTokens)
        self.overshoot = max(0, overshoot)
        self.reportUsage = reportUsage
        self.cachedTokens = cachedTokens
        self.faults = faults
        self.replayDirectory = replayDirectory
    }
}
