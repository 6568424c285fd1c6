/// A money value that could not be parsed or computed, with a message that says what to type instead.
public struct MoneyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, phrased for the person who typed the value.
    public let description: String

    /// Creates an error with a user-facing message.
    public init(_ description: String) {
        self.description = description
    }
}
