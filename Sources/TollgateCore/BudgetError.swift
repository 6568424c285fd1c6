/// A budget or team problem a user can hit, with a stable code and a message that says what to do.
///
/// The message is in the domain's words: it never names a command-line flag or an HTTP route.
/// Where the remedy is an admin operation, `problem` carries the facts, and the edge that shows
/// the error (the CLI, the admin API, the gateway) names that operation in its own syntax.
public struct BudgetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable kind of the problem; safe as a metric label and an API error code.
    public struct Code: RawRepresentable, Hashable, Sendable {
        /// The code's name.
        public let rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Input that doesn't parse or is out of range.
        public static let invalidInput = Code(rawValue: "invalid_input")
        /// The team's budget can't cover the request.
        public static let exhausted = Code(rawValue: "budget_exceeded")
        /// Unspent money would cover the request, but streams in flight hold it: retry shortly.
        public static let busy = Code(rawValue: "budget_busy")
        /// The team is disabled.
        public static let teamDisabled = Code(rawValue: "team_disabled")
        /// No team has this name.
        public static let unknownTeam = Code(rawValue: "unknown_team")
        /// A team with this name exists already.
        public static let duplicateTeam = Code(rawValue: "duplicate_team")
        /// A team's ledger entries add up beyond what Tollgate can sum; a correcting entry fixes it.
        public static let ledgerOverflow = Code(rawValue: "ledger_overflow")
        /// No key matches, or the key was revoked.
        public static let invalidKey = Code(rawValue: "invalid_api_key")
    }

    /// The kind of problem.
    public let code: Code
    /// What is wrong and what to do, in the domain's words.
    public let description: String
    /// The facts an edge words its own remedy from, when the remedy is an admin operation.
    public let problem: Problem?

    /// Creates a budget error.
    public init(_ code: Code, _ description: String, problem: Problem? = nil) {
        self.code = code
        self.description = description
        self.problem = problem
    }
}
