import TollgateCore
import TollgateTokenizers

extension TokenizerRegistry {
    /// The counter for a catalog model, counted as its `counting` says.
    public func counter(for model: ModelInfo) throws -> ModelTokenCounter {
        try counter(forModel: model.id.rawValue, counting: try Counting(model.counting))
    }

    /// The counter for a name a client sends: its catalog model's (by id or alias), else
    /// ``TokenCounting/unlisted`` (`tollgate tokens count` of a name no catalog lists).
    public func counter(forModel name: String, in catalog: ModelCatalog) throws -> ModelTokenCounter {
        let counting = catalog.resolve(ModelID(rawValue: name))?.counting ?? .unlisted
        return try counter(forModel: name, counting: try Counting(counting))
    }
}

extension TokenizerRegistry.Counting {
    /// The tokenizers' form of a catalog counting method. The loader only admits encodings in
    /// ``TokenCounting/encodings``, so an unknown name here means the two lists drifted apart.
    public init(_ counting: TokenCounting) throws {
        switch counting {
        case .exact(let encoding):
            self = .exact(try TokenEncoding.named(encoding))
        case .estimate(let base, let numerator, let denominator):
            self = .estimate(TokenEstimate(base: try TokenEncoding.named(base), numerator: numerator, denominator: denominator))
        }
    }
}
