import Foundation

/// One version of the price list: both books, in force from `effectiveFrom` until the next version.
public struct PriceVersion: Hashable, Sendable {
    /// Stable id recorded on every ledger entry priced by this version (the file name's stem).
    public let id: String
    /// The first instant this version prices.
    public let effectiveFrom: Date
    /// The version this one replaces, if any; it must start earlier.
    public let supersedes: String?
    /// Where the numbers come from, for auditors.
    public let source: String
    /// Prices per book and model.
    public let books: [PriceBook: [ModelID: ModelPrice]]

    /// Creates a price version.
    public init(id: String, effectiveFrom: Date, supersedes: String?, source: String, books: [PriceBook: [ModelID: ModelPrice]]) {
        self.id = id
        self.effectiveFrom = effectiveFrom
        self.supersedes = supersedes
        self.source = source
        self.books = books
    }

    /// The price of `model` in `book`, or a pricing error naming this version.
    public func price(of model: ModelID, in book: PriceBook) throws(PricingError) -> ModelPrice {
        guard let price = books[book]?[model] else {
            throw PricingError(
                .unknownModel,
                "model '\(model)' has no \(book.rawValue) price in version \(id): add it to the pricing file or use a priced model"
            )
        }
        return price
    }
}
