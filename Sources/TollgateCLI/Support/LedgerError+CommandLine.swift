import Foundation
import TollgateStorage

extension LedgerError {
    /// The message the CLI shows: the library's facts, with the remedy as the command or option to
    /// use. Errors without a `problem` keep their description.
    var commandLineMessage: String {
        guard let problem else { return description }
        return switch problem {
        case .cannotOpen(let path, let reason):
            "cannot open the ledger at \(path) (\(reason)): check the path and its permissions, or pass --db / set TOLLGATE_DB"
        case .windowOverflow(let from, let to):
            "the entries between \(from.formatted(.iso8601)) and \(to.formatted(.iso8601)) add up beyond what a 64-bit sum holds: "
                + "a team's ledger overflows; `tollgate team list` names it and the correcting entries that fix it"
        case .partialKeyBudget: "a key's budget columns are only partly set: set the budget again with 'tollgate key set-budget'"
        }
    }
}
