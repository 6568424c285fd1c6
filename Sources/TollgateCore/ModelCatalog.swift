/// The models Tollgate accepts, keyed by their canonical identifiers, with the aliases that
/// resolve to them.
public struct ModelCatalog: Sendable, Hashable {
    /// Known models by canonical identifier.
    public let models: [ModelID: ModelInfo]
    /// Every alias and the canonical identifier it stands for.
    public let aliases: [ModelID: ModelID]

    /// Creates a catalog from model descriptions. An alias that is also a model's id, or that two
    /// models claim, is rejected by the loader before this point; here the first claim wins.
    public init(_ models: [ModelInfo]) {
        self.models = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var aliases: [ModelID: ModelID] = [:]
        for model in models {
            for alias in model.aliases where self.models[alias] == nil && aliases[alias] == nil { aliases[alias] = model.id }
        }
        self.aliases = aliases
    }

    /// Known canonical identifiers in alphabetical order.
    public var ids: [ModelID] { models.keys.sorted() }

    /// The model a client's name stands for (its own id or an alias), or nil.
    public func resolve(_ name: ModelID) -> ModelInfo? {
        models[name] ?? aliases[name].flatMap { models[$0] }
    }

    /// The model a name (id or alias) stands for, or an error listing the known ones.
    public func model(_ name: ModelID) throws(PricingError) -> ModelInfo {
        guard let info = resolve(name) else { throw PricingError.unknownModel(name, known: ids) }
        return info
    }
}
