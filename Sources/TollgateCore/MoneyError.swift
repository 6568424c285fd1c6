/// A money value that could not be parsed or computed, with a message that says what to type instead.
public struct MoneyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, phrased for the person who typed the value.
    public let description: String

    /// Creates an error with a user-facing message.
    public init(_ description: String) {
        self.description = description
    }
}

extension MoneyError {
    /// An amount (in nanos) beyond `Money.maximumNanos`, with the bound a person can act on.
    public static func outOfRange(_ nanos: Int128) -> MoneyError {
        let units = nanos / Int128(NanoDecimal.scale)
        return MoneyError(
            "an amount of about \(units) units is beyond Tollgate's bound of ±1,000,000,000 units per amount: check the token counts, price or amount that produced it"
        )
    }
}
