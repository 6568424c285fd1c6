import ArgumentParser
import Foundation
import TollgateCore

/// `tollgate pricing list [--at INSTANT]`: every model's prices in both books at an instant.
struct PricingList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List prices in force (USD per million tokens).")

    @OptionGroup var pricing: PricingOptions
    @OptionGroup var output: FormatOptions
    @Option(help: "The instant to price at (default: now).") var at: String?

    func run() async throws {
        let table = try pricing.load()
        let instant = try at.map { try InstantArgument.parse($0, flag: "--at") } ?? Date()
        var listing = Listing(columns: PriceRows.columns)
        let version = try table.priceVersion(at: instant)
        // A model added to the catalog after `instant` has no price in the version then in force.
        for model in table.catalog.ids where version.books[.relay]?[model] != nil {
            listing.rows += try PriceRows.rows(table, model: model, at: instant)
        }
        print(listing.render(output.format), terminator: "")
    }
}

/// Rows shared by `pricing list` and `pricing show`.
enum PriceRows {
    static let columns = ["model", "book", "input", "cached_input", "output", "price_version", "effective_from"]

    static func rows(_ table: PricingTable, model: ModelID, at instant: Date) throws -> [[Cell]] {
        let version = try table.priceVersion(at: instant)
        return try PriceBook.allCases.map { book in
            let price = try table.price(of: model, in: book, at: instant).price
            return [
                .text(model.rawValue), .text(book.rawValue), .amount(NanoDecimal.format(price.inputPerMillion)),
                price.cachedInputPerMillion.map { .amount(NanoDecimal.format($0)) } ?? .empty,
                .amount(NanoDecimal.format(price.outputPerMillion)), .text(version.id), .text(Show.instant(version.effectiveFrom)),
            ]
        }
    }
}
