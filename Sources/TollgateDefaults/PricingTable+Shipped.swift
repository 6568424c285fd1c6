import TollgateCore

extension ShippedData {
    /// The built-in pricing folder as `PricingFile`s, ready for `PricingTable.load`.
    public static var pricingTableFiles: [PricingFile] {
        pricingFiles.map { PricingFile(path: $0.path, contents: $0.contents) }
    }
}

extension PricingTable {
    /// The pricing table built into this binary from the repository's `pricing/` folder.
    public static func shipped() throws(PricingProblems) -> PricingTable {
        try load(ShippedData.pricingTableFiles)
    }
}
