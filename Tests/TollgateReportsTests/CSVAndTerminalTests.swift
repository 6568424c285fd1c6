import Testing
import TollgateReports

@Suite("Report CSV neutralisation and terminal escaping")
struct CSVAndTerminalTests {
    static let table = ReportTable(
        columns: ["team", "reason", "charge_cny", "entries"],
        rows: [
            [.text("=HYPERLINK(\"http://x\",\"y\")"), .text("+1"), .amount("-1.50"), .integer(-3)],
            [.text("@SUM(A1)"), .text("\tlead"), .amount("2.00"), .integer(1)],
            [.text("-legacy"), .text("\rcr"), .amount("0.10"), .integer(0)],
            [.text("研发"), .text("plain, text"), .amount("-0.000000001"), .empty],
        ]
    )

    @Test("text cells starting with = + - @ tab or CR get a leading quote; numbers and amounts stay exact")
    func csv() {
        let lines = Self.table.csv().components(separatedBy: "\r\n")
        #expect(lines[0] == "team,reason,charge_cny,entries")
        #expect(lines[1] == #""'=HYPERLINK(""http://x"",""y"")",'+1,-1.50,-3"#)
        #expect(lines[2] == "'@SUM(A1),'\tlead,2.00,1")
        #expect(lines[3] == "'-legacy,\"'\rcr\",0.10,0")
        #expect(lines[4] == #"研发,"plain, text",-0.000000001,"#)
    }

    @Test("control characters in table text are shown as escapes, never printed raw")
    func terminal() {
        let table = ReportTable(columns: ["team", "reason"], rows: [[.text("ops"), .text("\u{1B}[31mred\u{07}\u{9B}2J")]])
        let text = table.text()
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        #expect(text.contains(#"\u{1B}[31mred\u{7}\u{9B}2J"#))
        #expect(TerminalText.escape("研发 a-b") == "研发 a-b")
        let document = ReportDocument(title: "Usage", facts: [("team", "ops\u{1B}[2J")], sections: [])
        let rendered = document.render(.table, json: .null)
        #expect(!rendered.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        #expect(rendered.contains(#"team: ops\u{1B}[2J"#), "\(rendered)")
        #expect(TerminalText.escape("two\nlines\t\u{1B}", keepingLines: true) == "two\nlines\t\\u{1B}")
    }
}
