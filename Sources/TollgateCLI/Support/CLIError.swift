/// A command-line problem: what is wrong and what to type instead.
public struct CLIError: Error, Sendable, CustomStringConvertible {
    /// The message shown after `error:`.
    public let description: String
    /// Process exit status.
    public let exitCode: Int32

    /// Creates an error; exit status 1 unless said otherwise.
    public init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }
}
