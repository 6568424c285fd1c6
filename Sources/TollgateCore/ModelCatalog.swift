/// The models Tollgate accepts, keyed by their exact relay identifiers.
public struct ModelCatalog: Sendable, Hashable {
    /// Known models by identifier.
    public let models: [ModelID: ModelInfo]

    /// Creates a catalog from model descriptions.
    public init(_ models: [ModelInfo]) {
        self.models = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Known identifiers in alphabetical order.
    public var ids: [ModelID] { models.keys.sorted() }

    /// The model with this exact identifier, or an error listing the known ones.
    public func model(_ id: ModelID) throws(PricingError) -> ModelInfo {
        guard let info = models[id] else { throw PricingError.unknownModel(id, known: ids) }
        return info
    }
}
