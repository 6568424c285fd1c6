/// Text made safe to print on a terminal: control characters shown as escapes instead of run.
///
/// A team name, key label or adjustment reason holding ESC could recolour, move the cursor or
/// rewrite earlier lines of `key list`, `team list`, `ledger entries` or a report, and BEL rings;
/// so every C0 control (tab and newline too: a table cell is one line), DEL and every C1 control
/// is printed as `\u{XX}`, which reads as what it is. Other text, any script, is unchanged.
public enum TerminalText {
    /// `text` with its control characters escaped; `keepingLines` keeps newline and tab, for
    /// messages of several lines (an error listing problems) rather than table cells.
    public static func escape(_ text: String, keepingLines: Bool = false) -> String {
        let escapes = { (scalar: Unicode.Scalar) in isControl(scalar) && !(keepingLines && (scalar == "\n" || scalar == "\t")) }
        guard text.unicodeScalars.contains(where: escapes) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if escapes(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
