/// One value in a report table. Amounts and percents stay exact decimal strings in every format.
public enum ReportCell: Sendable, Hashable {
    /// Free text.
    case text(String)
    /// A whole number (a JSON number).
    case integer(Int64)
    /// An exact decimal amount (a JSON string).
    case amount(String)
    /// No value (JSON null), e.g. a percent of zero.
    case empty

    /// The cell as text, with `-` for no value.
    var plain: String {
        switch self {
        case .text(let text), .amount(let text): text
        case .integer(let number): String(number)
        case .empty: "-"
        }
    }

    /// Numbers are right-aligned in tables.
    var isNumeric: Bool {
        switch self {
        case .integer, .amount: true
        case .text, .empty: false
        }
    }

    /// The cell as a JSON value.
    var json: ReportJSONValue {
        switch self {
        case .text(let text), .amount(let text): .string(text)
        case .integer(let number): .integer(number)
        case .empty: .null
        }
    }
}
