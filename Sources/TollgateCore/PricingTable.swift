import Foundation

/// The whole versioned pricing table: models, price versions and FX versions.
///
/// Lookups take an instant and return the version in force then, so adding a newer version never
/// changes what an older instant prices to.
public struct PricingTable: Sendable, Hashable {
    /// The models prices may name.
    public let catalog: ModelCatalog
    /// Price versions, oldest first.
    public let priceVersions: [PriceVersion]
    /// FX versions, oldest first.
    public let fxVersions: [FXVersion]

    /// Creates a table; versions are ordered by their effective instant.
    public init(catalog: ModelCatalog, priceVersions: [PriceVersion], fxVersions: [FXVersion]) {
        self.catalog = catalog
        self.priceVersions = priceVersions.sorted { $0.effectiveFrom < $1.effectiveFrom }
        self.fxVersions = fxVersions.sorted { $0.effectiveFrom < $1.effectiveFrom }
    }

    /// The price version in force at `instant` (the latest whose `effectiveFrom` ≤ `instant`).
    public func priceVersion(at instant: Date) throws(PricingError) -> PriceVersion {
        guard let version = Self.inForce(priceVersions, at: instant, start: \.effectiveFrom) else {
            throw PricingError(
                .noVersionInForce,
                "no price version is in force at \(Self.iso(instant)): the first starts at \(priceVersions.first.map { Self.iso($0.effectiveFrom) } ?? "—")"
            )
        }
        return version
    }

    /// The FX version in force at `instant`.
    public func fxVersion(at instant: Date) throws(PricingError) -> FXVersion {
        guard let version = Self.inForce(fxVersions, at: instant, start: \.effectiveFrom) else {
            throw PricingError(
                .noVersionInForce,
                "no FX version is in force at \(Self.iso(instant)): the first starts at \(fxVersions.first.map { Self.iso($0.effectiveFrom) } ?? "—")"
            )
        }
        return version
    }

    /// The price of a known model (by id or alias) in one book at an instant, with the version id that set it.
    public func price(of model: ModelID, in book: PriceBook, at instant: Date) throws(PricingError) -> (price: ModelPrice, version: String) {
        let id = try catalog.model(model).id
        let version = try priceVersion(at: instant)
        return (try version.price(of: id, in: book), version.id)
    }

    /// Values `usage` of `model` (by id or alias) at `instant` in every view, stamped with the versions used.
    public func valuation(of usage: TokenUsage, model name: ModelID, at instant: Date) throws(PricingError) -> Valuation {
        let model = try catalog.model(name).id
        let prices = try priceVersion(at: instant)
        let fx = try fxVersion(at: instant)
        let relay = try prices.price(of: model, in: .relay)
        let official = try prices.price(of: model, in: .official)
        do throws(MoneyError) {
            let relayUSD = try relay.cost(of: usage)
            let officialUSD = try official.cost(of: usage)
            return Valuation(
                priceVersion: prices.id,
                fxVersion: fx.id,
                relayUSD: relayUSD,
                officialUSD: officialUSD,
                paidCNY: try fx.rate(.relay).toCNY(relayUSD),
                baselineCNY: try fx.rate(.baseline).toCNY(officialUSD)
            )
        } catch {
            throw PricingError(
                .outOfRange,
                "\(usage.inputTokens) input and \(usage.outputTokens) output tokens of \(model) cost more than one amount may: \(error.description)"
            )
        }
    }

    private static func inForce<V>(_ versions: [V], at instant: Date, start: (V) -> Date) -> V? {
        // Versions are few (one per price change); a reverse scan is simpler than a search and as fast.
        versions.last { start($0) <= instant }
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }
}
