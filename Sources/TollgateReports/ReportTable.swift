/// Rows under named columns, with an optional total line. Column names are the JSON field names
/// (stable snake_case); people see them upper-cased with spaces.
public struct ReportTable: Sendable, Hashable {
    /// Column names.
    public var columns: [String]
    /// Rows, one cell per column.
    public var rows: [[ReportCell]]
    /// The total line, if the table has one.
    public var total: [ReportCell]?

    /// Creates a table.
    public init(columns: [String], rows: [[ReportCell]], total: [ReportCell]? = nil) {
        self.columns = columns
        self.rows = rows
        self.total = total
    }

    private var allRows: [[ReportCell]] { rows + (total.map { [$0] } ?? []) }

    /// Column headers for people.
    var headers: [String] { columns.map { $0.replacingOccurrences(of: "_", with: " ").uppercased() } }

    /// Aligned columns: text left, numbers right, a rule above the total line.
    public func text() -> String {
        let cells = allRows.map { $0.map { TerminalText.escape($0.plain) } }
        let widths = columns.indices.map { column in ([headers[column]] + cells.map { $0[column] }).map(\.count).max() ?? 0 }
        let numeric = columns.indices.map { column in rows.contains { $0[column].isNumeric } || total?[column].isNumeric == true }
        func line(_ values: [String]) -> String {
            var out = ""
            for (column, value) in values.enumerated() {
                let padding = String(repeating: " ", count: widths[column] - value.count)
                out += (column == 0 ? "" : "  ") + (numeric[column] ? padding + value : value + padding)
            }
            while out.last == " " { out.removeLast() }
            return out
        }
        var lines = [line(headers)] + cells.prefix(rows.count).map(line)
        if let total = total?.map(\.plain) {
            lines.append(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)))
            lines.append(line(total))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown table; the total line is bold.
    public func markdown() -> String {
        func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        let numeric = columns.indices.map { column in rows.first?[column].isNumeric ?? total?[column].isNumeric ?? false }
        var lines = ["| " + headers.map(escape).joined(separator: " | ") + " |"]
        lines.append("|" + numeric.map { $0 ? "---:" : ":---" }.joined(separator: "|") + "|")
        lines += rows.map { "| " + $0.map { escape($0.plain) }.joined(separator: " | ") + " |" }
        if let total {
            lines.append("| " + total.map { cell in cell == .empty ? "" : "**\(escape(cell.plain))**" }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV with a header row and CRLF line ends; no value is an empty field. Text cells
    /// are neutralised against formula injection, numbers and amounts are not (``CSVField``).
    public func csv() -> String {
        func field(_ cell: ReportCell) -> String {
            switch cell {
            case .text(let text): CSVField.text(text)
            case .integer, .amount: CSVField.number(cell.plain)
            case .empty: ""
            }
        }
        let lines = [columns.map { field(.text($0)) }] + allRows.map { $0.map(field) }
        return lines.map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// An HTML `<table>`; numbers right-aligned, the total line in `<tfoot>`.
    public func html() -> String {
        func row(_ cells: [ReportCell], tag: String) -> String {
            "<tr>"
                + cells.map { cell in
                    "<\(tag)\(cell.isNumeric ? " class=\"num\"" : "")>\(HTMLText.escape(cell.plain))</\(tag)>"
                }.joined() + "</tr>"
        }
        var out = "<table>\n<thead>" + row(headers.map { .text($0) }, tag: "th") + "</thead>\n<tbody>\n"
        out += rows.map { row($0, tag: "td") }.joined(separator: "\n")
        out += "\n</tbody>\n"
        if let total { out += "<tfoot>" + row(total, tag: "td") + "</tfoot>\n" }
        return out + "</table>\n"
    }

    /// The rows as JSON objects keyed by column name (the total line is left to the caller).
    public func jsonRows() -> ReportJSONValue {
        .array(rows.map(jsonObject))
    }

    /// One row as a JSON object keyed by column name.
    public func jsonObject(_ row: [ReportCell]) -> ReportJSONValue {
        .object(zip(columns, row).map { ($0, $1.json) })
    }
}

/// Escapes text for HTML and SVG element content and attribute values.
public enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` as entities.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
