/// A request body field metering cannot admit as sent. Carries the field and the value; the edge
/// that shows it (HTTP, CLI) adds the hint in its own words.
public struct RequestBodyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public enum Code: String, Sendable, Hashable {
        /// `n` is not a positive integer.
        case invalidChoiceCount = "invalid_choice_count"
    }

    /// What is wrong.
    public let code: Code
    /// The body field, e.g. `n`.
    public let field: String
    /// The value as sent (JSON text).
    public let value: String

    /// `n` holds `value` (JSON text), which is not a positive integer.
    public static func invalidChoiceCount(_ value: String) -> RequestBodyError {
        RequestBodyError(code: .invalidChoiceCount, field: "n", value: value)
    }

    /// What is wrong and what the field must hold.
    public var description: String {
        switch code {
        case .invalidChoiceCount: "n must be a positive integer (the number of choices to generate), got \(value)"
        }
    }
}
