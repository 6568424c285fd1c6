/// A problem in the pricing table, located by file, line and field so it can be fixed by hand.
public struct PricingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem; stable, and safe to use as a metric label.
    public struct Code: RawRepresentable, Hashable, Sendable {
        /// The code's name.
        public let rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A model identifier that the model catalog doesn't list.
        public static let unknownModel = Code(rawValue: "unknown_model")
        /// A file that isn't valid JSON or a value of the wrong type.
        public static let malformed = Code(rawValue: "malformed")
        /// A required field is absent.
        public static let missingField = Code(rawValue: "missing_field")
        /// A price or rate below zero (or a rate of zero).
        public static let negativeValue = Code(rawValue: "negative_value")
        /// Two versions share an id or an effective instant.
        public static let duplicateVersion = Code(rawValue: "duplicate_version")
        /// A version starts before the version it says it supersedes.
        public static let supersedesLater = Code(rawValue: "supersedes_later")
        /// A version names a predecessor that doesn't exist.
        public static let unknownPredecessor = Code(rawValue: "unknown_predecessor")
        /// A usage record whose cost lies beyond `Money.maximumNanos`.
        public static let outOfRange = Code(rawValue: "out_of_range")
        /// No version is in force at the instant asked about.
        public static let noVersionInForce = Code(rawValue: "no_version_in_force")
    }

    /// The kind of problem.
    public let code: Code
    /// The file, relative to the pricing folder, when the problem is in one.
    public let file: String?
    /// The 1-based line the field was found on, when it could be located.
    public let line: Int?
    /// The dotted path of the field (`books.relay.gpt-4.1.output`).
    public let field: String?
    /// What is wrong and what to do.
    public let message: String

    /// Creates a located pricing problem.
    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil, field: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.field = field
    }

    /// `prices/2026-11-01.json:14: books.relay.gpt-4.1.output: price must not be negative`.
    public var description: String {
        var location = ""
        if let file { location += file + (line.map { ":\($0)" } ?? "") + ": " }
        if let field { location += field + ": " }
        return location + message
    }

    /// An unknown model, with the list a user can choose from.
    public static func unknownModel(_ id: ModelID, known: [ModelID], file: String? = nil, line: Int? = nil, field: String? = nil) -> PricingError {
        PricingError(
            .unknownModel,
            "unknown model '\(id)': known models are \(known.map(\.rawValue).joined(separator: ", "))",
            file: file,
            line: line,
            field: field
        )
    }
}

/// Every problem found in a pricing folder; loading fails if there is at least one.
public struct PricingProblems: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public let problems: [PricingError]

    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
