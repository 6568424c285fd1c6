import ArgumentParser
import Foundation
import TollgateCore
import TollgateDefaults

/// `tollgate pricing init DIR`: a custom pricing folder, starting as a copy of the built-in table.
struct PricingInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Start a custom pricing folder from the built-in table.")

    @Argument(help: "The folder to create (must not exist, or be empty).") var directory: String

    func run() async throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: root.path), !existing.isEmpty {
            throw CLIError("'\(directory)' is not empty: pass a new folder (init never overwrites a table)")
        }
        for file in ShippedData.pricingTableFiles {
            let url = root.appending(path: file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.contents.write(to: url, atomically: true, encoding: .utf8)
        }
        print(
            "\(directory): the built-in table (\(ShippedData.pricingTableFiles.count) files). Use it with --pricing \(directory) or TOLLGATE_PRICING_DIR."
        )
    }
}
