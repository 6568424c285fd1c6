import Foundation

/// Instants typed on the command line: RFC 3339 (`2026-11-03T14:05:00Z`) or a date (`2026-11-03`,
/// midnight UTC).
enum InstantArgument {
    static func parse(_ text: String, flag: String) throws -> Date {
        if let instant = try? Date(text, strategy: .iso8601) { return instant }
        if let day = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return day }
        throw CLIError("\(flag) '\(text)' is not a date: write 2026-11-03 or 2026-11-03T14:05:00Z")
    }
}
