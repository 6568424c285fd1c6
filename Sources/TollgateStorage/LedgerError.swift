/// A storage problem, with a stable code and a message that says what to do.
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
    /// What is wrong and what to do.
    public let description: String

    /// Creates a ledger error.
    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
