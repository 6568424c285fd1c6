import ArgumentParser
import Foundation
import TollgateCore

/// `tollgate pricing export litellm [--at T]`: the catalog and official prices in force, as LiteLLM's
/// `model_prices_and_context_window.json` (per-token prices as exact JSON numbers).
struct PricingExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the table in LiteLLM's model_prices_and_context_window.json format."
    )

    @Argument(help: "The catalog format: litellm.") var format: String
    @OptionGroup var pricing: PricingOptions
    @Option(help: "The instant whose official prices to export (default: now).") var at: String?

    func validate() throws {
        guard format == "litellm" else { throw ValidationError("unknown format '\(format)': the only export format is litellm") }
    }

    func run() async throws {
        let table = try pricing.load()
        let instant = try at.map { try InstantArgument.parse($0, flag: "--at") } ?? Date()
        print(try Self.litellm(table, at: instant))
    }

    /// One entry per model and per alias (LiteLLM lists dated snapshots as their own keys).
    static func litellm(_ table: PricingTable, at instant: Date) throws -> String {
        let version = try table.priceVersion(at: instant)
        var entries: [String] = []
        for id in table.catalog.ids {
            let model = try table.catalog.model(id)
            guard let price = version.books[.official]?[id] else { continue }
            var fields = [
                "\"input_cost_per_token\": \(PerTokenPrice.text(nanosPerMillion: price.inputPerMillion))",
                "\"output_cost_per_token\": \(PerTokenPrice.text(nanosPerMillion: price.outputPerMillion))",
                "\"litellm_provider\": \"\(model.provider)\"",
                "\"max_output_tokens\": \(model.maxOutputTokens)",
                "\"max_tokens\": \(model.maxOutputTokens)",
                "\"mode\": \"chat\"",
            ]
            if let cached = price.cachedInputPerMillion {
                fields.insert("\"cache_read_input_token_cost\": \(PerTokenPrice.text(nanosPerMillion: cached))", at: 0)
            }
            if let write = price.cacheWrite5mPerMillion {
                fields.append("\"cache_creation_input_token_cost\": \(PerTokenPrice.text(nanosPerMillion: write))")
            }
            if let write = price.cacheWrite1hPerMillion {
                fields.append("\"cache_creation_input_token_cost_above_1hr\": \(PerTokenPrice.text(nanosPerMillion: write))")
            }
            if let window = model.contextWindow { fields.append("\"max_input_tokens\": \(window)") }
            for key in [id] + model.aliases {
                entries.append("    \"\(key.rawValue)\": {\n        " + fields.joined(separator: ",\n        ") + "\n    }")
            }
        }
        return "{\n" + entries.joined(separator: ",\n") + "\n}"
    }
}
