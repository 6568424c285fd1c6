/// A JSON value whose objects keep their field order, so reports print fields as documented.
///
/// Not TollgateStreaming's `JSONValue` (request extras, decoded and unordered): a report builds
/// its JSON and renders it as text, in the order the report documents.
public indirect enum ReportJSONValue: Sendable, Hashable {
    /// A string.
    case string(String)
    /// A whole number.
    case integer(Int64)
    /// true or false.
    case bool(Bool)
    /// null.
    case null
    /// An array.
    case array([ReportJSONValue])
    /// An object, fields in order.
    case object([(String, ReportJSONValue)])

    /// Objects compare field by field in order.
    public static func == (lhs: ReportJSONValue, rhs: ReportJSONValue) -> Bool { lhs.text() == rhs.text() }

    /// Hashes the rendered text.
    public func hash(into hasher: inout Hasher) { hasher.combine(text()) }

    /// The value as indented JSON text.
    public func text(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch self {
        case .string(let text): return Self.quote(text)
        case .integer(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            return "[\n" + items.map { pad + $0.text(indent: indent + 1) }.joined(separator: ",\n") + "\n\(close)]"
        case .object(let fields):
            guard !fields.isEmpty else { return "{}" }
            return "{\n" + fields.map { pad + Self.quote($0.0) + ": " + $0.1.text(indent: indent + 1) }.joined(separator: ",\n")
                + "\n\(close)}"
        }
    }

    /// A JSON string literal, escaping quotes, backslashes and control characters.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
