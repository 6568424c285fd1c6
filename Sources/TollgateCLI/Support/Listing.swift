import TollgateReports

/// One value of a listing row. Amounts stay strings in every format so no reader turns them into
/// binary floating point.
public enum Cell: Sendable, Hashable {
    /// Free text.
    case text(String)
    /// A whole number (JSON number).
    case number(Int)
    /// An exact decimal amount (JSON string).
    case amount(String)
    /// A yes/no value (JSON boolean).
    case flag(Bool)
    /// No value (JSON null).
    case empty

    var plain: String {
        switch self {
        case .text(let text), .amount(let text): text
        case .number(let number): String(number)
        case .flag(let flag): flag ? "yes" : "no"
        case .empty: ""
        }
    }

    /// The cell for a terminal: control characters escaped (``TerminalText``).
    var shown: String { TerminalText.escape(plain) }

    /// The cell as a CSV field: text neutralised against formula injection, numbers kept (``CSVField``).
    var csv: String {
        switch self {
        case .text(let text): CSVField.text(text)
        case .number, .amount: CSVField.number(plain)
        case .flag, .empty: plain
        }
    }

    var json: String {
        switch self {
        case .text(let text), .amount(let text): ReportJSONValue.quote(text)
        case .number(let number): String(number)
        case .flag(let flag): flag ? "true" : "false"
        case .empty: "null"
        }
    }
}

/// Rows with named columns, printable as a table, JSON or CSV. Column names are the JSON field
/// names, so they are stable snake_case.
public struct Listing: Sendable {
    /// Column names.
    public let columns: [String]
    /// Rows, each with one cell per column.
    public var rows: [[Cell]]

    /// Creates an empty listing with these columns.
    public init(columns: [String], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// The listing in `format`, ending with a newline.
    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: table()
        case .json: json()
        case .csv: csv()
        }
    }

    func table() -> String {
        let header = columns.map { $0.replacingOccurrences(of: "_", with: " ").uppercased() }
        let cells = rows.map { $0.map(\.shown) }
        let widths = columns.indices.map { column in
            ([header[column]] + cells.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { value, width in value.padding(toLength: width, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        return ([line(header)] + cells.map(line)).joined(separator: "\n") + "\n"
    }

    func json() -> String {
        guard !rows.isEmpty else { return "[]\n" }
        let objects = rows.map { row in
            "  {" + zip(columns, row).map { "\(ReportJSONValue.quote($0)): \($1.json)" }.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    func csv() -> String {
        let lines = [columns.map(CSVField.text)] + rows.map { $0.map(\.csv) }
        return lines.map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
