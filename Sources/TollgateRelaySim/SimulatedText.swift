import TollgateStreaming

/// Counts tokens of `text` for `model`; the simulator reports usage with it.
public typealias SimulatorTokenCounter = @Sendable (_ model: String, _ text: String) -> Int

/// The simulator's deterministic text: a pure function of (model, prompt, seed), public so tests
/// can compute the exact text a request will stream.
public enum SimulatedText {
    private static let vocabulary: [String] = [
        "tokens", "stream", "relay", "budget", "model", "latency", "socket", "meter", "price", "cache",
        "request", "reply", "quota", "ledger", "team", "window", "prompt", "chunk", "delta", "usage",
        "the", "a", "of", "to", "and", "in", "for", "with", "every", "each", "fast", "steady",
        "careful", "exact", "small", "large", "simple", "clear", "local", "remote", "first", "last",
        "counts", "flows", "settles", "reports", "waits", "sends", "reads", "holds", "grows", "ends",
    ]
    private static let punctuation: [String] = [",", ".", ";", "!", "?"]

    /// The prompt text the simulator derives from messages: `role: content` lines.
    public static func promptText(_ messages: [ChatMessage]) -> String {
        messages.map { "\($0.role.rawValue): \($0.content)" }.joined(separator: "\n")
    }

    /// `pieceCount` pieces of text, each a word (with a leading space after the first) or a single
    /// punctuation mark. Under ``defaultTokenCount(model:text:)`` every piece is exactly one token.
    public static func generate(model: String, prompt: String, seed: Int64, pieceCount: Int) -> [String] {
        var random = SplitMix64(seed: fnv1a("\(model)\u{0}\(prompt)\u{0}\(seed)"))
        var pieces: [String] = []
        pieces.reserveCapacity(max(0, pieceCount))
        var previousWasPunctuation = true
        for index in 0..<max(0, pieceCount) {
            let roll = random.next()
            if !previousWasPunctuation, roll % 7 == 0 {
                pieces.append(punctuation[Int((roll >> 8) % UInt64(punctuation.count))])
                previousWasPunctuation = true
            } else {
                let word = vocabulary[Int((roll >> 16) % UInt64(vocabulary.count))]
                pieces.append(index == 0 ? word : " " + word)
                previousWasPunctuation = false
            }
        }
        return pieces
    }

    /// The default stand-in token counter: maximal runs of letters and digits, plus maximal runs
    /// of other non-whitespace characters. `"Hello, world!!"` counts 4 (`Hello` `,` `world` `!!`).
    /// It ignores the model; the real tokenizers replace it through the `tokenCounter` parameter.
    public static func defaultTokenCount(model: String, text: String) -> Int {
        enum Run { case none, word, symbol }
        var count = 0
        var run = Run.none
        for scalar in text.unicodeScalars {
            let next: Run
            if scalar.properties.isWhitespace {
                next = .none
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                next = .word
            } else {
                next = .symbol
            }
            if next != .none, next != run { count += 1 }
            run = next
        }
        return count
    }

    /// FNV-1a of the text's UTF-8: the simulator's one stable hash (seeds, ids, logprobs).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}

/// SplitMix64: a tiny, well-distributed PRNG whose output is identical on every platform.
private struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
