import Foundation

/// A storage problem, with a stable code and a message that says what to do.
///
/// The message is in the domain's words; where the remedy is an operator's command, `problem`
/// carries the facts and the edge showing the error (CLI, HTTP) names the command its own way.
public struct LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable kind of problem.
    public struct Code: RawRepresentable, Hashable, Sendable {
        /// The code's name.
        public let rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The ledger file can't be opened or created.
        public static let unavailable = Code(rawValue: "ledger_unavailable")
        /// A write broke a rule of the ledger (append-only, duplicate request id, ...).
        public static let rejected = Code(rawValue: "ledger_rejected")
        /// The ledger was written by a newer Tollgate.
        public static let tooNew = Code(rawValue: "ledger_too_new")
        /// Entries add up beyond what a 64-bit sum holds (a ledger written before amounts were bounded).
        public static let sumOverflow = Code(rawValue: "ledger_overflow")
    }

    /// The kind of problem.
    public let code: Code
    /// What is wrong and what to do, in the domain's words.
    public let description: String
    /// The facts an edge words its own remedy from, when the remedy is an operator's command.
    public let problem: Problem?

    /// The facts of a ledger problem whose remedy each edge names in its own syntax.
    public enum Problem: Sendable, Hashable {
        /// The SQLite ledger file at `path` can't be opened or created, for `reason`.
        case cannotOpen(path: String, reason: String)
        /// The entries in `[from, to)` add up beyond a 64-bit sum: some team's ledger overflows.
        case windowOverflow(from: Date, to: Date)
        /// A key's budget columns are only partly set.
        case partialKeyBudget
    }

    /// Creates a ledger error.
    public init(_ code: Code, _ description: String, problem: Problem? = nil) {
        self.code = code
        self.description = description
        self.problem = problem
    }
}
