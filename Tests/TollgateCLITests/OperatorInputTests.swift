import Foundation
import Testing
import TollgateCore
import TollgateLedger

/// Text an operator (or an earlier version) put into the ledger is shown safely: CSV text cells are
/// neutralised against formula injection, terminal listings escape control characters.
@Suite("tollgate listings: CSV neutralisation and control characters")
struct OperatorInputTests {
    static let formula = #"=HYPERLINK("http://evil.example","open")"#
    static let escape = "\u{1B}]0;pwned\u{07}\u{1B}[2J"
    static let escaped = #"\u{1B}]0;pwned\u{7}\u{1B}[2J"#

    /// A ledger with a team named before the name rule, a key label and a credit reason holding `text`
    /// (a credit of 1.50 is the amount -1.50 in the ledger).
    func ledger(_ cli: CLIRunner, legacyTeam: String, text: String) async throws {
        _ = try await cli.ok(["team", "create", "research", "--budget", "500", "--currency", "CNY", "--period", "monthly"])
        _ = try await cli.ok(["key", "create", "--team", "research", "--label", text])
        _ = try await cli.ok(["ledger", "adjust", "--team", "research", "--amount", "1.50", "--currency", "CNY", "--reason", text])
        let store = try SQLiteLedger(path: cli.db)
        _ = try await store.createTeam(name: legacyTeam, budget: try Budget(limit: Money(parsing: "50", .cny), period: .monthly), at: Date())
    }

    @Test("every CSV listing and report quotes formula-looking text and keeps amounts such as -1.50 exact")
    func csv() async throws {
        let cli = try CLIRunner()
        try await ledger(cli, legacyTeam: "-legacy", text: Self.formula)
        let neutral = #""'=HYPERLINK(""http://evil.example"",""open"")""#
        let keys = try await cli.ok(["key", "list", "--format", "csv"])
        #expect(keys.contains(neutral), "\(keys)")
        let entries = try await cli.ok(["ledger", "entries", "--format", "csv"])
        #expect(entries.contains(neutral), "\(entries)")
        #expect(entries.contains(",-1.50,") && !entries.contains("'-1.50"), "\(entries)")
        let teams = try await cli.ok(["team", "list", "--format", "csv"])
        #expect(teams.contains("\r\n'-legacy,"), "\(teams)")
        let budgets = try await cli.ok(["report", "budgets", "--format", "csv"])
        #expect(budgets.contains("'-legacy,"), "\(budgets)")
        for output in [keys, entries, teams, budgets] {
            #expect(!output.contains(",=") && !output.contains("\r\n=") && !output.contains("\r\n-legacy"))
        }
    }

    @Test("key list, ledger entries, team list, team show and reports escape ESC and BEL")
    func controlCharacters() async throws {
        let cli = try CLIRunner()
        let team = "ops" + Self.escape
        try await ledger(cli, legacyTeam: team, text: "label" + Self.escape)
        for command in [["key", "list"], ["ledger", "entries"], ["team", "list"], ["team", "show", team], ["report", "budgets"]] {
            let output = try await cli.ok(command)
            #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(command)")
            #expect(output.contains(Self.escaped), "\(command): \(output)")
        }
        let refused = try await cli.run(["team", "create", "x" + Self.escape, "--budget", "5", "--currency", "CNY", "--period", "monthly"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("x" + Self.escaped), "\(refused.stderr)")
        #expect(!refused.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }
}
