import Synchronization

/// Maps model names to token counters and loads each vocabulary at most once, on first use.
/// Safe to share between tasks.
public final class TokenizerRegistry: Sendable {
    /// How a model's tokens are counted.
    public enum Counting: Sendable, Equatable {
        /// With the model's own published tokenizer.
        case exact(TokenEncoding)
        /// With a ratio over another encoding (the model's tokenizer is not public).
        case estimate(TokenEstimate)
    }

    /// Claude's tokenizer is not public. Published side-by-side measurements of Claude 3.x/4.x
    /// against GPT-4o put Claude at roughly 1.16× o200k on English prose and 1.3× on code; 5/4 sits
    /// between the two and, rounded up, errs towards over-counting a budget rather than under.
    public static let claudeEstimate = TokenEstimate(base: .o200kBase, numerator: 5, denominator: 4)

    /// Gemini's SentencePiece vocabulary (~256k entries) is the same size class as o200k and counts
    /// within a few percent of it on English; 21/20 adds a 5% margin so estimates err high.
    public static let geminiEstimate = TokenEstimate(base: .o200kBase, numerator: 21, denominator: 20)

    /// The models Tollgate knows, by the name clients send.
    public static let models: [String: Counting] = [
        "gpt-4.1": .exact(.o200kBase),
        "deepseek-v3.2": .exact(.deepseekV3),
        "claude-sonnet-4.5": .estimate(claudeEstimate),
        "gemini-2.5-flash": .estimate(geminiEstimate),
    ]

    private let locator: VocabularyLocator
    private let loaded = Mutex<[TokenEncoding: Tokenizer]>([:])

    /// Creates a registry that loads vocabularies through `locator`.
    public init(locator: VocabularyLocator) {
        self.locator = locator
    }

    /// The tokenizer for `encoding`, loading it on first use (concurrent first uses load once).
    public func tokenizer(for encoding: TokenEncoding) throws -> Tokenizer {
        try loaded.withLock { cache in
            if let tokenizer = cache[encoding] { return tokenizer }
            let tokenizer = try locator.load(encoding)
            cache[encoding] = tokenizer
            return tokenizer
        }
    }

    /// The counter for `model`, or an error listing the known models.
    public func counter(forModel model: String) throws -> ModelTokenCounter {
        guard let counting = Self.models[model] else {
            let known = Self.models.keys.sorted().joined(separator: ", ")
            throw TokenizerError(.unknownModel, "no tokenizer is registered for model '\(model)'; known models: \(known). "
                                 + "Use --encoding with one of: \(TokenEncoding.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        switch counting {
        case .exact(let encoding):
            return ModelTokenCounter(model: model, tokenizer: try tokenizer(for: encoding), estimate: nil)
        case .estimate(let estimate):
            return ModelTokenCounter(model: model, tokenizer: try tokenizer(for: estimate.base), estimate: estimate)
        }
    }

    /// An exact counter for an encoding name (`--encoding`), or an error listing the valid names.
    public func counter(forEncoding name: String) throws -> ModelTokenCounter {
        let encoding = try TokenEncoding.named(name)
        return ModelTokenCounter(model: encoding.rawValue, tokenizer: try tokenizer(for: encoding), estimate: nil)
    }
}
