/// A report request that can't be answered as asked: what is wrong and what to write instead.
///
/// The message is in the domain's words; `problem` carries the facts so the edge that took the
/// input (the CLI's `--month`, `--from`, `--to`) can name it its own way.
public struct ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and what to write instead.
    public let description: String
    /// The facts an edge names its own input from.
    public let problem: Problem?

    /// The facts of a report input that doesn't parse.
    public enum Problem: Sendable, Hashable {
        /// `text` is not a `YYYY-MM` month.
        case notAMonth(String)
        /// `text` is neither a date nor an RFC 3339 instant; `bound` says which end of the period.
        case notADate(ReportPeriod.Bound, String)
        /// The period's start is not before its end.
        case emptyRange
    }

    /// Creates an error.
    public init(_ description: String, problem: Problem? = nil) {
        self.description = description
        self.problem = problem
    }
}
