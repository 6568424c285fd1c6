import ArgumentParser
import Foundation
import TollgateCore

/// `tollgate pricing show MODEL [--at INSTANT]`: one model's prices, versions and FX in force.
struct PricingShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one model's prices and the FX rates in force.")

    @OptionGroup var pricing: PricingOptions
    @OptionGroup var output: FormatOptions
    @Argument(help: "Exact model id, e.g. gpt-4.1.") var model: String
    @Option(help: "The instant to price at (default: now).") var at: String?

    func run() async throws {
        let table = try pricing.load()
        let instant = try at.map { try InstantArgument.parse($0, flag: "--at") } ?? Date()
        let id = ModelID(rawValue: model)
        let info = try table.catalog.model(id)
        let fx = try table.fxVersion(at: instant)
        let listing = Listing(columns: PriceRows.columns, rows: try PriceRows.rows(table, model: id, at: instant))
        print(listing.render(output.format), terminator: "")
        if output.format == .table {
            print("max output tokens: \(info.maxOutputTokens)   provider: \(info.provider)")
            print(
                "FX \(fx.id): relay ¥\(NanoDecimal.format(fx.rate(.relay).cnyPerUSD)) per $1, baseline ¥\(NanoDecimal.format(fx.rate(.baseline).cnyPerUSD)) per $1"
            )
        }
    }
}
