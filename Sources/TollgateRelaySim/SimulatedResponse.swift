import TollgateStreaming

/// Everything the simulator will send for one request, computed before any I/O.
struct SimulatedResponse: Sendable {
    /// Content chunks in order.
    let chunks: [String]
    /// `stop`, or `length` when `max_tokens` cut the output.
    let finishReason: String
    /// Prompt tokens per the injected counter.
    let inputTokens: Int
    /// Generated tokens per the injected counter.
    let outputTokens: Int

    /// - Parameter prompt: The prompt text (``SimulatedText/promptText(_:)`` or ``SimulatorRequest/promptText``).
    init(
        model: String,
        prompt: String,
        maxTokens: Int?,
        seed: Int64,
        scenario: SimulatedScenario,
        tokenCounter: SimulatorTokenCounter
    ) {
        var pieceCount = scenario.outputTokens
        var finishReason = "stop"
        if let maxTokens, maxTokens < pieceCount {
            pieceCount = min(pieceCount, max(0, maxTokens) + scenario.overshoot)
            finishReason = "length"
        }
        let pieces = SimulatedText.generate(model: model, prompt: prompt, seed: seed, pieceCount: pieceCount)
        var chunks: [String] = []
        chunks.reserveCapacity(pieces.count / scenario.chunkSize + 1)
        var index = 0
        while index < pieces.count {
            let end = min(index + scenario.chunkSize, pieces.count)
            chunks.append(pieces[index..<end].joined())
            index = end
        }
        self.chunks = chunks
        self.finishReason = finishReason
        self.inputTokens = tokenCounter(model, prompt)
        self.outputTokens = tokenCounter(model, pieces.joined())
    }

    /// The full text.
    var text: String { chunks.joined() }

    /// Seed from a request's `seed` extra, else the header, else 0.
    static func seed(extras: [String: JSONValue], scenario: SimulatedScenario) -> Int64 {
        extras["seed"]?.integerValue ?? scenario.seed ?? 0
    }
}
