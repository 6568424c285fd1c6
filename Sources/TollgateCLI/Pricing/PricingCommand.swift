import ArgumentParser

/// `tollgate pricing ...`: inspect and validate the versioned pricing table.
struct PricingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pricing",
        abstract: "Inspect, validate, start, import and export the versioned pricing table.",
        subcommands: [
            PricingList.self, PricingShow.self, PricingCheck.self, PricingInit.self, PricingImport.self, PricingExport.self, PricingDiff.self,
        ]
    )
}
