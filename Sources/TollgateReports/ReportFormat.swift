/// How a report is written out.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// Aligned columns for a terminal.
    case table
    /// One JSON object; amounts are exact decimal strings.
    case json
    /// The main table as RFC 4180 CSV (CRLF line ends) with a TOTAL line, for spreadsheets.
    case csv
    /// GitHub-flavoured Markdown tables.
    case markdown
    /// One self-contained HTML file: tables and inline SVG charts, no scripts, no external assets.
    case html
}
