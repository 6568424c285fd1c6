import Synchronization

/// Builds token counters from a counting method and loads each vocabulary at most once, on first use.
/// Safe to share between tasks.
public final class TokenizerRegistry: Sendable {
    /// How a model's tokens are counted.
    public enum Counting: Sendable, Equatable {
        /// With the model's own published tokenizer.
        case exact(TokenEncoding)
        /// With a ratio over another encoding (the model's tokenizer is not public).
        case estimate(TokenEstimate)
    }

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

    /// The counter for `model`, counted as `counting` says (the catalog decides which).
    public func counter(forModel model: String, counting: Counting) throws -> ModelTokenCounter {
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
