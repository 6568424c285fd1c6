import ArgumentParser
import Foundation
import TollgateCore
import TollgateMetering
import TollgateTokenizers

/// `tollgate tokens count --model MODEL|--encoding NAME [--file F | --jsonl FILE]` (stdin otherwise).
struct TokensCount: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "count",
        abstract: "Count the tokens of a text (stdin, --file) or of each JSON line's \"text\" (--jsonl).",
        discussion:
            "A model counts as the pricing catalog's `counting` says (models.json; --pricing DIR for your own): gpt-4.1 with o200k_base and deepseek-v3.2 with DeepSeek-V3, exactly; claude-sonnet-4.5 and gemini-2.5-flash have no public tokenizer and are estimated, as is any model the catalog doesn't list (stderr says so)."
    )

    @OptionGroup var tokenizers: TokenizerOptions
    @OptionGroup var pricing: PricingOptions
    @Option(help: "Model id (gpt-4.1, claude-sonnet-4.5, gemini-2.5-flash, deepseek-v3.2).") var model: String?
    @Option(help: "Encoding name (o200k_base, cl100k_base, deepseek-v3).") var encoding: String?
    @Option(help: "Count this UTF-8 file instead of stdin.") var file: String?
    @Option(help: "Count the \"text\" of every JSON line of this file; prints one count per line.") var jsonl: String?

    func run() async throws {
        let catalog = try pricing.load().catalog
        let counter = try tokenizers.registry().counter(model: model, encoding: encoding) { name in
            try TokenizerRegistry.Counting(catalog.resolve(ModelID(rawValue: name))?.counting ?? TokenCounting.unlisted)
        }
        if counter.source == .estimate, let model, catalog.resolve(ModelID(rawValue: model)) == nil {
            FileHandle.standardError.write(
                Data(
                    "note: the pricing catalog does not list '\(model)' (known: \(catalog.ids.map(\.rawValue).joined(separator: ", "))); this is an estimate from \(counter.encoding.rawValue).\n"
                        .utf8
                )
            )
        } else if counter.source == .estimate {
            FileHandle.standardError.write(
                Data("note: \(counter.model) has no public tokenizer; this is an estimate from \(counter.encoding.rawValue).\n".utf8)
            )
        }
        if let jsonl {
            guard let data = FileManager.default.contents(atPath: jsonl) else { throw CLIError("cannot read '\(jsonl)': check the path") }
            print(TokenCountJSONL.report(try TokenCountJSONL.counts(in: data, using: counter)), terminator: "")
        } else if let file {
            print(try counter.count(fileAt: URL(fileURLWithPath: file)))
        } else {
            print(counter.count(String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)))
        }
    }
}
