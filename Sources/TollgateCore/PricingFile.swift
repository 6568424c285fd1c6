/// The text of one file of a pricing folder, named relative to the folder (`prices/2026-11-01.json`).
///
/// Reading folders is the caller's job (the CLI reads disk, the binary carries embedded copies),
/// which keeps parsing and validation pure.
public struct PricingFile: Sendable, Hashable {
    /// Path relative to the pricing folder.
    public let path: String
    /// UTF-8 text of the file.
    public let contents: String

    /// Creates a pricing file.
    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}
