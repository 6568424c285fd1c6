import ArgumentParser
import TollgateCore

/// `tollgate pricing check [DIR]`: validates a pricing folder; exits non-zero listing every problem.
struct PricingCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Validate a pricing folder (default: the one in use).")

    @OptionGroup var pricing: PricingOptions
    @Argument(help: "Pricing folder to check.") var directory: String?

    func run() async throws {
        let folder = directory ?? pricing.resolvedDirectory
        let name = folder ?? "built-in pricing table"
        do {
            let table = try PricingTable.load(try PricingOptions.files(in: folder))
            print(
                "\(name): OK — \(table.catalog.ids.count) models, \(table.priceVersions.count) price versions, \(table.fxVersions.count) FX versions."
            )
        } catch let problems as PricingProblems {
            throw CLIError("\(name) has \(problems.problems.count) problem(s):\n" + problems.description)
        }
    }
}
