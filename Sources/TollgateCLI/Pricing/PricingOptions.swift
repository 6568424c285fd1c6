import ArgumentParser
import Foundation
import TollgateCore
import TollgateDefaults

/// `--pricing DIR`: a pricing folder replacing the built-in table (then `TOLLGATE_PRICING_DIR`).
public struct PricingOptions: ParsableArguments {
    /// Explicit pricing folder.
    @Option(name: .long, help: "Pricing folder to use instead of the built-in table (default: $TOLLGATE_PRICING_DIR).")
    public var pricing: String?

    /// Creates options (used by argument parsing).
    public init() {}

    /// The folder to read, or `nil` for the built-in table.
    public var resolvedDirectory: String? {
        pricing ?? ProcessInfo.processInfo.environment["TOLLGATE_PRICING_DIR"]
    }

    /// Loads and validates the pricing table in force for this invocation.
    public func load() throws -> PricingTable {
        try PricingTable.load(try Self.files(in: resolvedDirectory))
    }

    /// The files of a pricing folder, or the built-in ones when `directory` is `nil`.
    public static func files(in directory: String?) throws -> [PricingFile] {
        guard let directory else {
            return ShippedData.pricingTableFiles
        }
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("pricing folder '\(directory)' does not exist: pass a folder holding models.json, prices/ and fx/")
        }
        var files: [PricingFile] = []
        for relative in ["models.json"] + (try jsonFiles(root, "prices")) + (try jsonFiles(root, "fx")) {
            let url = root.appending(path: relative)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            files.append(PricingFile(path: relative, contents: try String(contentsOf: url, encoding: .utf8)))
        }
        return files
    }

    private static func jsonFiles(_ root: URL, _ folder: String) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appending(path: folder).path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { "\(folder)/\($0)" }
    }
}
