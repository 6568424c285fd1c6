import Foundation
import TollgateCore
import TollgateMetering

/// The body of `GET /admin/pricing`: amounts as exact decimal strings (USD per million tokens, CNY
/// per USD), as everywhere in the admin API.
struct AdminPricingRecord: Encodable {
    struct Version: Encodable {
        let id: String
        let effectiveFrom: String
        let supersedes: String?
        let source: String

        enum CodingKeys: String, CodingKey {
            case id
            case effectiveFrom = "effective_from"
            case supersedes, source
        }
    }

    struct Price: Encodable {
        let input: String
        let cachedInput: String?
        let output: String
        let cacheWrite5m: String?
        let cacheWrite1h: String?

        enum CodingKeys: String, CodingKey {
            case input
            case cachedInput = "cached_input"
            case output
            case cacheWrite5m = "cache_write_5m"
            case cacheWrite1h = "cache_write_1h"
        }

        init(_ price: ModelPrice) {
            input = NanoDecimal.format(price.inputPerMillion)
            cachedInput = price.cachedInputPerMillion.map { NanoDecimal.format($0) }
            output = NanoDecimal.format(price.outputPerMillion)
            cacheWrite5m = price.cacheWrite5mPerMillion.map { NanoDecimal.format($0) }
            cacheWrite1h = price.cacheWrite1hPerMillion.map { NanoDecimal.format($0) }
        }
    }

    struct Model: Encodable {
        let id: String
        let provider: String
        let aliases: [String]
        let maxOutputTokens: Int
        let contextWindow: Int?
        let counting: String
        let prices: [String: Price]

        enum CodingKeys: String, CodingKey {
            case id, provider, aliases
            case maxOutputTokens = "max_output_tokens"
            case contextWindow = "context_window"
            case counting, prices
        }
    }

    let at: String
    let priceVersion: Version
    let fxVersion: Version
    let cnyPerUSD: [String: String]
    let models: [Model]
    let priceVersions: [Version]
    let loadedAt: String
    let reload: String

    enum CodingKeys: String, CodingKey {
        case at
        case priceVersion = "price_version"
        case fxVersion = "fx_version"
        case cnyPerUSD = "cny_per_usd"
        case models
        case priceVersions = "price_versions"
        case loadedAt = "loaded_at"
        case reload
    }

    /// The catalog models the version in force at `instant` prices (a model added by a later
    /// version is not yet for sale then).
    init(_ status: LivePricing.Status, at instant: Date) throws(PricingError) {
        let table = status.table
        let prices = try table.priceVersion(at: instant)
        let fx = try table.fxVersion(at: instant)
        at = instant.formatted(.iso8601)
        priceVersion = Version(
            id: prices.id,
            effectiveFrom: prices.effectiveFrom.formatted(.iso8601),
            supersedes: prices.supersedes,
            source: prices.source
        )
        fxVersion = Version(id: fx.id, effectiveFrom: fx.effectiveFrom.formatted(.iso8601), supersedes: fx.supersedes, source: fx.source)
        cnyPerUSD = Dictionary(
            uniqueKeysWithValues: FXSchedule.allCases.map { ($0.rawValue, NanoDecimal.format(fx.rate($0).cnyPerUSD, minimumFractionDigits: 0)) }
        )
        models = table.catalog.ids.compactMap { id in
            guard let info = table.catalog.models[id], prices.books[.relay]?[id] != nil else { return nil }
            return Model(
                id: id.rawValue,
                provider: info.provider,
                aliases: info.aliases.map(\.rawValue),
                maxOutputTokens: info.maxOutputTokens,
                contextWindow: info.contextWindow,
                counting: info.counting.description,
                prices: Dictionary(
                    uniqueKeysWithValues: PriceBook.allCases.compactMap { book in prices.books[book]?[id].map { (book.rawValue, Price($0)) } }
                )
            )
        }
        priceVersions = table.priceVersions.map {
            Version(id: $0.id, effectiveFrom: $0.effectiveFrom.formatted(.iso8601), supersedes: $0.supersedes, source: $0.source)
        }
        loadedAt = status.loadedAt.formatted(.iso8601)
        reload = status.refusal.map { "refused, the table in force stays: \($0)" } ?? "ok"
    }
}
