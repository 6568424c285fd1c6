import Foundation

/// One field of every CSV the product writes (reports, listings): RFC 4180 quoting, and text
/// neutralised against formula injection.
///
/// A spreadsheet runs a cell starting with `=`, `+`, `-` or `@` (and, in some, tab or CR) as a
/// formula, so a team name, label or reason such as `=HYPERLINK(…)` would run on the reader's
/// machine. Following OWASP, such *text* is prefixed with a single quote (`'=HYPERLINK(…)`), which
/// spreadsheets show as the text itself. Numbers and amounts are never prefixed: `-1.50` stays
/// `-1.50`, exact and summable, because a number is not a formula and the writer knows which cells
/// hold numbers.
public enum CSVField {
    /// A text cell: neutralised, then quoted if needed.
    public static func text(_ text: String) -> String {
        quoted(neutralised(text))
    }

    /// A number or amount cell, written as it is (quoted only if it somehow needs it).
    public static func number(_ text: String) -> String {
        quoted(text)
    }

    /// `text` with a leading `'` when it starts with a character a spreadsheet would read as a formula.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, formulaStarts.contains(first) else { return text }
        return "'" + text
    }

    private static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    private static func quoted(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
