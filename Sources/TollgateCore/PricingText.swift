import Foundation

/// Writes pricing-folder JSON in the shipped files' layout: one line per model, prices as exact
/// decimal strings, models in alphabetical order, so a written file is stable and diffs well.
enum PricingText {
    /// One price entry: field name → nanos per million tokens, in `order`.
    typealias Entry = [String: Int64]

    /// The price fields in the order they are written.
    static let order = ["input", "cached_input", "output", "cache_write_5m", "cache_write_1h"]

    static func entry(_ price: ModelPrice) -> Entry {
        var entry: Entry = ["input": price.inputPerMillion, "output": price.outputPerMillion]
        entry["cached_input"] = price.cachedInputPerMillion
        entry["cache_write_5m"] = price.cacheWrite5mPerMillion
        entry["cache_write_1h"] = price.cacheWrite1hPerMillion
        return entry
    }

    static func priceVersion(id: String, effectiveFrom: Date, supersedes: String?, source: String, books: [PriceBook: [String: Entry]]) -> String {
        var lines = [
            "{",
            "  \"version\": \(quoted(id)),",
            "  \"effective_from\": \(quoted(effectiveFrom.formatted(.iso8601))),",
            "  \"supersedes\": \(supersedes.map(quoted) ?? "null"),",
            "  \"source\": \(quoted(source)),",
            "  \"books\": {",
        ]
        let names = PriceBook.allCases.map(\.rawValue)
        for (index, name) in names.enumerated() {
            let models = books[PriceBook(rawValue: name)!] ?? [:]
            lines.append("    \(quoted(name)): {")
            let ids = models.keys.sorted()
            for (row, id) in ids.enumerated() {
                let fields = order.compactMap { field in models[id]![field].map { "\(quoted(field)): \(quoted(NanoDecimal.format($0)))" } }
                lines.append("      \(quoted(id)): { \(fields.joined(separator: ", ")) }" + (row == ids.count - 1 ? "" : ","))
            }
            lines.append("    }" + (index == names.count - 1 ? "" : ","))
        }
        return (lines + ["  }", "}", ""]).joined(separator: "\n")
    }

    static func modelEntry(_ entry: LiteLLMEntry, counting: TokenCounting?) -> String {
        var fields = ["\"provider\": \(quoted(entry.provider))", "\"max_output_tokens\": \(entry.maxOutputTokens)"]
        if let window = entry.contextWindow { fields.append("\"context_window\": \(window)") }
        if case .exact(let encoding) = counting { fields.append("\"counting\": \(quoted(encoding))") }
        return "    \(quoted(entry.key)): { \(fields.joined(separator: ", ")) }"
    }

    /// A JSON string literal (Foundation's encoder, so the escaping rules live in one place).
    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        // Encoding a String cannot fail.
        return String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}
