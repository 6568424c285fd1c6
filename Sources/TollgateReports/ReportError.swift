/// A report request that can't be answered as asked: what is wrong and what to type instead.
public struct ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message shown after `error:`.
    public let description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
