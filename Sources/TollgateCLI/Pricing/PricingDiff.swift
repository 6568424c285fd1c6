import ArgumentParser
import Foundation
import TollgateCore

/// `tollgate pricing diff A B`: what price version B changes relative to version A.
struct PricingDiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Show what price version B changes relative to version A.")

    @OptionGroup var pricing: PricingOptions
    @Argument(help: "The earlier version id.") var from: String
    @Argument(help: "The later version id.") var to: String

    func run() async throws {
        let table = try pricing.load()
        func version(_ id: String) throws -> PriceVersion {
            guard let version = table.priceVersions.first(where: { $0.id == id }) else {
                throw CLIError("no price version '\(id)': the versions are \(table.priceVersions.map(\.id).joined(separator: ", "))")
            }
            return version
        }
        let lines = Self.changes(from: try version(from), to: try version(to))
        print(lines.isEmpty ? "\(from) → \(to): no price changes." : lines.joined(separator: "\n"))
    }

    /// One line per added, removed or changed model price, by book then model.
    static func changes(from old: PriceVersion, to new: PriceVersion) -> [String] {
        var lines: [String] = []
        for book in PriceBook.allCases {
            let before = old.books[book] ?? [:]
            let after = new.books[book] ?? [:]
            for model in Set(before.keys).union(after.keys).sorted() {
                switch (before[model], after[model]) {
                case (nil, let price?): lines.append("+ \(book.rawValue) \(model): \(describe(price))")
                case (let price?, nil): lines.append("- \(book.rawValue) \(model): \(describe(price))")
                case (let a?, let b?) where a != b:
                    let fields = [
                        ("input", a.inputPerMillion, b.inputPerMillion), ("cached_input", a.cachedInputPerMillion, b.cachedInputPerMillion),
                        ("output", a.outputPerMillion, b.outputPerMillion),
                        ("cache_write_5m", a.cacheWrite5mPerMillion, b.cacheWrite5mPerMillion),
                        ("cache_write_1h", a.cacheWrite1hPerMillion, b.cacheWrite1hPerMillion),
                    ]
                    let changed = fields.filter { $0.1 != $0.2 }.map {
                        "\($0.0) \($0.1.map { NanoDecimal.format($0) } ?? "—") → \($0.2.map { NanoDecimal.format($0) } ?? "—")"
                    }
                    lines.append("~ \(book.rawValue) \(model): \(changed.joined(separator: ", "))")
                default: break
                }
            }
        }
        return lines
    }

    static func describe(_ price: ModelPrice) -> String {
        "input \(NanoDecimal.format(price.inputPerMillion))" + (price.cachedInputPerMillion.map { ", cached_input \(NanoDecimal.format($0))" } ?? "")
            + ", output \(NanoDecimal.format(price.outputPerMillion))"
            + (price.cacheWrite5mPerMillion.map { ", cache_write_5m \(NanoDecimal.format($0))" } ?? "")
            + (price.cacheWrite1hPerMillion.map { ", cache_write_1h \(NanoDecimal.format($0))" } ?? "")
    }
}
