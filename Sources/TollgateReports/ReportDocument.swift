/// A report laid out for people: a title, key facts, tables and charts. Every report builds one,
/// and the text, Markdown, CSV and HTML renderings all come from it, so the formats agree.
public struct ReportDocument: Sendable {
    /// A titled table.
    public struct Section: Sendable {
        /// Heading above the table.
        public var title: String
        /// The table.
        public var table: ReportTable
    }

    /// The report's title.
    public var title: String
    /// Label and value pairs shown under the title (period, time zone, versions, ...).
    public var facts: [(String, String)]
    /// Sentences shown after the facts, e.g. that the period holds no entries.
    public var notes: [String]
    /// Tables; the first is the main one and the only one in CSV.
    public var sections: [Section]
    /// Charts, drawn in HTML only.
    public var charts: [BarChart]

    /// Creates a document.
    public init(title: String, facts: [(String, String)], notes: [String] = [], sections: [Section], charts: [BarChart] = []) {
        self.title = title
        self.facts = facts
        self.notes = notes
        self.sections = sections
        self.charts = charts
    }

    /// The document in `format`; `json` is the caller's (each report has its own JSON shape).
    public func render(_ format: ReportFormat, json: @autoclosure () -> ReportJSONValue) -> String {
        switch format {
        case .table: text()
        case .json: json().text() + "\n"
        case .csv: sections.first?.table.csv() ?? ""
        case .markdown: markdown()
        case .html: html()
        }
    }

    func text() -> String {
        var out = title + "\n" + String(repeating: "=", count: title.count) + "\n"
        let width = facts.map(\.0.count).max() ?? 0
        for (label, value) in facts {
            out += (label + ":").padding(toLength: width + 2, withPad: " ", startingAt: 0) + TerminalText.escape(value) + "\n"
        }
        for note in notes { out += "\n" + note + "\n" }
        for section in sections where !section.table.rows.isEmpty {
            out += "\n" + section.title + "\n" + section.table.text()
        }
        return out
    }

    func markdown() -> String {
        var out = "# \(title)\n\n"
        for (label, value) in facts { out += "- **\(label):** \(value)\n" }
        for note in notes { out += "\n\(note)\n" }
        for section in sections where !section.table.rows.isEmpty {
            out += "\n## \(section.title)\n\n" + section.table.markdown()
        }
        return out
    }
}
