import Foundation
import Testing
import TollgateCore
import TollgateLedger
import TollgateReports
import TollgateStorage
import TollgateTokenizers

@testable import TollgateCLI

/// The CLI words the facts of library errors as it always has: the command or flag to type. The
/// libraries' own messages name neither (the admin API words the same facts as routes and fields).
@Suite("CLI wording of library errors: facts from the library, the command and flags from the CLI")
struct CommandLineWordingTests {
    static let budgetCases: [(BudgetError.Problem, String)] = [
        (.unknownTeam("ghost"), "no team named 'ghost': 'tollgate team list' shows the teams"),
        (
            .duplicateTeam("research"),
            "a team named 'research' already exists: pick another name, or change it with 'tollgate team set-budget research ...'"
        ),
        (.importedTeamMissing("ghost"), "no team named 'ghost': create it first with 'tollgate team create'"),
        (.unknownKeyPrefix("tg_abc"), "no key with prefix 'tg_abc': 'tollgate key list' shows the prefixes"),
        (.invalidKey, "invalid API key: check the key, or create one with 'tollgate key create --team NAME'"),
        (.revokedKey, "this API key was revoked: ask your admin for a new one ('tollgate key create')"),
        (.teamDisabled("alpha"), "team 'alpha' is disabled: an admin can re-enable it with 'tollgate team enable alpha'"),
        (.nothingToChange, "nothing to change: pass --budget, --currency, --period, --soft-limit, --on-exhausted, --tz or --hold"),
        (.currencyChangeWithoutAmount, "changing the currency needs a new --budget amount in that currency"),
        (.keyPeriodWithoutBudget(currency: .cny), "a key's budget period needs a budget amount: add --budget AMOUNT (in CNY)"),
        (.keyPeriodWithoutAmount, "a key's budget period needs a budget amount: give AMOUNT, or 'none' to remove the key's budget"),
        (.reasonRequired, "a reason is required: say why, e.g. --reason \"refund for outage 2026-11-03\""),
        (.negativeRateLimit(.requestsPerMinute, -1), "--rpm must be 0 (no limit) or more, got -1"),
        (.negativeRateLimit(.concurrentStreams, -3), "--max-streams must be 0 (no limit) or more, got -3"),
        (.rateLimitBelowOne(.tokensPerMinute, 0), "--tpm must be at least 1, got 0: give a positive limit, or 0 to remove it"),
        (
            .keyBudgetCurrencyMismatch(prefix: "tg_ci", key: .cny, team: .usd),
            "key 'tg_ci' has a budget in CNY but its team now budgets in USD: an admin must set the key's budget again ('tollgate key set-budget tg_ci AMOUNT')"
        ),
        (
            .ledgerOverflow(team: "a", currency: .usd, netNanos: -18_000_000_000_000_000_000),
            "team 'a': its ledger entries add up beyond what Tollgate can sum (±9223372036 USD): the net charge is -18000000000.00 USD. "
                + "Until then its requests are refused; other teams are unaffected. To fix it, append correcting entries of at most 1000000000 each "
                + "with 'tollgate ledger adjust --team a --currency USD --amount … --reason …' and negative amounts (charges)."
        ),
        (.generatorCounts, "--entries, --teams (up to 999) and --months (up to 1200) must be positive whole numbers"),
    ]

    @Test("each budget problem reads as the CLI always said it", arguments: 0..<budgetCases.count)
    func budget(index: Int) {
        let (problem, expected) = Self.budgetCases[index]
        let error = BudgetError(.invalidInput, "the library's words", problem: problem)
        #expect(error.commandLineMessage == expected)
    }

    @Test("an error without a problem keeps its message")
    func plain() {
        #expect(BudgetError(.invalidInput, "the amount must not be zero").commandLineMessage == "the amount must not be zero")
        #expect(LedgerError(.tooNew, "written by a newer Tollgate").commandLineMessage == "written by a newer Tollgate")
    }

    @Test("report inputs name the option typed: --month, --from, --to and --tz")
    func report() {
        #expect(
            ReportError("x", problem: .notAMonth("2026-13")).commandLineMessage
                == "--month '2026-13' is not a month: write it as YYYY-MM, e.g. 2026-11"
        )
        #expect(
            ReportError("x", problem: .notADate(.start, "last tuesday")).commandLineMessage
                == "--from 'last tuesday' is not a date: write 2026-11-03 (midnight in --tz) or 2026-11-03T14:05:00Z"
        )
        #expect(ReportError("x", problem: .notADate(.end, "2026-02-30")).commandLineMessage.hasPrefix("--to '2026-02-30' is not a date"))
        #expect(
            ReportError("x", problem: .emptyRange).commandLineMessage
                == "--from must be before --to (the period is [from, to), --to excluded): swap or widen them"
        )
    }

    @Test("tokenizer remedies name `tollgate tokenizers fetch` and --tokenizer-dir after the library's facts")
    func tokenizers() throws {
        let empty = FileManager.default.temporaryDirectory.appending(path: "tollgate-wording-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let missing = try #require(throws: TokenizerError.self) { try VocabularyLocator(searchDirectories: [empty]).locate(.o200kBase) }
        #expect(
            missing.commandLineMessage == "vocabulary file 'o200k_base.tiktoken' for o200k_base not found; looked in:\n  - \(empty.path)\n"
                + "Run `tollgate tokenizers fetch` to download it into the cache, or pass --tokenizer-dir (or set TOLLGATE_TOKENIZER_DIR) to a directory that holds it."
        )
        let corrupt = try #require(throws: TokenizerError.self) {
            try Tokenizer(encoding: .o200kBase, vocabulary: Data("IQ== 0\nIg==\n".utf8), source: "o200k_base.tiktoken")
        }
        #expect(
            corrupt.commandLineMessage == "o200k_base.tiktoken: line 2: no space between token and rank; expected '<base64 token> <rank>'. "
                + "Re-download it with `tollgate tokenizers fetch`."
        )
        let unreadable = try #require(throws: TokenizerError.self) { try Tokenizer(encoding: .o200kBase, directory: empty) }
        #expect(unreadable.commandLineMessage.hasSuffix("; run `tollgate tokenizers fetch` to download the vocabularies"))
        let neither = try #require(throws: TokenizerError.self) {
            try TokenizerRegistry(locator: .builtIn).counter(model: nil, encoding: nil, counting: { _ in .exact(.o200kBase) })
        }
        #expect(
            neither.commandLineMessage == "pass exactly one of --model MODEL or --encoding NAME (models: see `tollgate pricing list`; "
                + "encodings: \(TokenEncoding.allCases.map(\.rawValue).joined(separator: ", ")))"
        )
    }

    @Test("ledger problems: the path option, the team list, the key budget command")
    func ledger() {
        let open = LedgerError(.unavailable, "cannot open", problem: .cannotOpen(path: "/nope/ledger.sqlite", reason: "SQLite error 14"))
        #expect(
            open.commandLineMessage
                == "cannot open the ledger at /nope/ledger.sqlite (SQLite error 14): check the path and its permissions, or pass --db / set TOLLGATE_DB"
        )
        let from = Date(timeIntervalSince1970: 0)
        let to = Date(timeIntervalSince1970: 3600)
        let overflow = LedgerError(.sumOverflow, "overflow", problem: .windowOverflow(from: from, to: to))
        #expect(
            overflow.commandLineMessage == "the entries between 1970-01-01T00:00:00Z and 1970-01-01T01:00:00Z add up beyond what a 64-bit sum holds: "
                + "a team's ledger overflows; `tollgate team list` names it and the correcting entries that fix it"
        )
        let partial = LedgerError(.rejected, "partial", problem: .partialKeyBudget)
        #expect(partial.commandLineMessage == "a key's budget columns are only partly set: set the budget again with 'tollgate key set-budget'")
    }
}
