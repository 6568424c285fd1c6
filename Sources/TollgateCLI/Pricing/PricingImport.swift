import ArgumentParser
import Foundation
import TollgateCore

/// `tollgate pricing import litellm FILE (--models A,B | --provider P) --effective-from T [--dir DIR]
/// [--version ID] [--relay-ratio R | --relay-ratio PROVIDER=R ...]`.
struct PricingImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add a price version (and catalog entries) from LiteLLM's model_prices_and_context_window.json.",
        discussion: """
            The official book takes LiteLLM's per-token prices exactly (read from their decimal text, \
            never as floating point; a price that isn't a whole number of nanos per million tokens is \
            refused, naming the model and field). The relay book is official × --relay-ratio (default 1: \
            the relay bills list USD), or × PROVIDER=R for that LiteLLM provider. Models the previous \
            version priced are carried over unchanged. The folder is checked as a whole before anything \
            is written; importing the same prices again changes nothing.
            """
    )

    @Argument(help: "The catalog format: litellm.") var format: String
    @Argument(help: "LiteLLM's model_prices_and_context_window.json (or an excerpt).") var file: String
    @Option(help: "Comma-separated model keys of the file to import.") var models: String?
    @Option(help: "Import every per-token-priced chat model of this litellm_provider.") var provider: String?
    @Option(help: "When the new version starts (2026-12-01 or RFC 3339).") var effectiveFrom: String
    @Option(help: "The new version's id (default: the effective date, 2026-12-01).") var version: String?
    @Option(help: "Relay price = official × R; PROVIDER=R for one LiteLLM provider (repeatable).") var relayRatio: [String] = []
    @Option(help: "Pricing folder to write (default: --pricing / $TOLLGATE_PRICING_DIR).") var dir: String?
    @OptionGroup var pricing: PricingOptions

    func validate() throws {
        guard format == "litellm" else { throw ValidationError("unknown format '\(format)': the only import format is litellm") }
        guard (models == nil) != (provider == nil) else { throw ValidationError("pass exactly one of --models A,B and --provider P") }
    }

    func run() async throws {
        guard let folder = dir ?? pricing.resolvedDirectory else {
            throw CLIError("the built-in pricing table can't be written: run `tollgate pricing init DIR` and pass --dir DIR")
        }
        let start = try InstantArgument.parse(effectiveFrom, flag: "--effective-from")
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read '\(file)': check the path") }
        var plan = LiteLLMImport(
            selection: models.map { .models($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) }
                ?? .provider(provider!),
            effectiveFrom: start,
            versionID: version ?? String(start.formatted(.iso8601).prefix(10)),
            origin: "LiteLLM model_prices_and_context_window.json (\(URL(fileURLWithPath: file).lastPathComponent))"
        )
        for ratio in relayRatio {
            let parts = ratio.split(separator: "=", maxSplits: 1).map(String.init)
            let value = try Self.ratio(parts.last!, option: ratio)
            if parts.count == 2 { plan.providerRatios[parts[0]] = value } else { plan.relayRatio = value }
        }
        let result: LiteLLMImport.Plan
        do {
            result = try plan.plan(
                litellm: PricingFile(path: file, contents: String(decoding: data, as: UTF8.self)),
                current: try PricingOptions.files(in: folder)
            )
        } catch let problems as PricingProblems {
            // The importer's remedies, followed by the options that give them.
            let described = problems.description
                .replacingOccurrences(of: LiteLLMImport.newVersionID, with: "pass --version with a new id")
                .replacingOccurrences(of: LiteLLMImport.orProvider, with: "(or --provider to take a provider's models)")
            throw CLIError("nothing was imported; \(problems.problems.count) problem(s):\n" + described)
        }
        for skipped in result.skipped {
            Console.error("note: \(skipped) has no per-token price in the file (priced per second, image, …): left out")
        }
        guard !result.changed.isEmpty else {
            print("\(folder): unchanged — version \(plan.versionID) already holds these prices.")
            return
        }
        let root = URL(fileURLWithPath: folder, isDirectory: true)
        for changed in result.changed {
            let url = root.appending(path: changed.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try changed.contents.write(to: url, atomically: true, encoding: .utf8)
        }
        print(
            "\(folder): wrote \(result.changed.map(\.path).joined(separator: ", ")) — \(result.priced.count) model(s) priced from \(start.formatted(.iso8601))"
                + (result.added.isEmpty ? "" : ", added to the catalog: \(result.added.map(\.rawValue).joined(separator: ", "))") + "."
        )
    }

    static func ratio(_ text: String, option: String) throws -> Int64 {
        guard let nanos = try? NanoDecimal.parse(text), nanos > 0 else {
            throw CLIError("--relay-ratio '\(option)': write a positive decimal, like 0.85, or PROVIDER=0.85")
        }
        return nanos
    }
}
