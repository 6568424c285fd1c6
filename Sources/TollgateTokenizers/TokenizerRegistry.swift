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

    /// A model with no entry in ``models`` (one added to the price table after this build) is
    /// counted as o200k_base × 5/4, rounded up: the largest ratio of the known estimates, so an
    /// unknown model's budget errs towards over-counting, and the count is marked `estimate`.
    public static let unknownModelEstimate = TokenEstimate(base: .o200kBase, numerator: 5, denominator: 4)

    /// The models Tollgate knows, by the name clients send.
    public static let models: [String: Counting] = [
        "gpt-4.1": .exact(.o200kBase),
        "deepseek-v3.2": .exact(.deepseekV3),
        "claude-sonnet-4.5": .estimate(claudeEstimate),
        "gemini-2.5-flash": .estimate(geminiEstimate),
    ]

    private let locator: VocabularyLocator
    private let loaded = Mutex<[TokenEncoding: (tokenizer: Tokenizer, origin: VocabularyOrigin)]>([:])

    /// Creates a registry that loads vocabularies through `locator`.
    public init(locator: VocabularyLocator) {
        self.locator = locator
    }

    /// The tokenizer for `encoding`, loading it on first use (concurrent first uses load once).
    public func tokenizer(for encoding: TokenEncoding) throws -> Tokenizer {
        try loaded.withLock { cache in
            if let entry = cache[encoding] { return entry.tokenizer }
            let entry = try locator.load(encoding)
            cache[encoding] = entry
            return entry.tokenizer
        }
    }

    /// Loads every vocabulary now (what `serve` does before it listens) and says where each came
    /// from. One after the other: on two busy cores a parallel load measured slower, not faster.
    @discardableResult
    public func loadAll() throws -> [TokenEncoding: VocabularyOrigin] {
        for encoding in TokenEncoding.allCases { _ = try tokenizer(for: encoding) }
        return origins
    }

    /// Where each vocabulary loaded so far came from.
    public var origins: [TokenEncoding: VocabularyOrigin] {
        loaded.withLock { cache in cache.mapValues(\.origin) }
    }

    /// How `model` is counted: its registered entry, else ``unknownModelEstimate``.
    public static func counting(forModel model: String) -> Counting {
        models[model] ?? .estimate(unknownModelEstimate)
    }

    /// The counter for `model`: exact with its tokenizer, or an estimate (a documented ratio for a
    /// model without a public tokenizer, ``unknownModelEstimate`` for one not registered at all).
    public func counter(forModel model: String) throws -> ModelTokenCounter {
        switch Self.counting(forModel: model) {
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
