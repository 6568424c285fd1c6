/// One bad line of an import file.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number (0 for the file as a whole).
    public let line: Int
    /// What is wrong with it.
    public let message: String

    /// `line 3: missing field 'model'`.
    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}

/// An import refused as a whole because some lines are bad; nothing was written.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    /// Every bad line found.
    public let problems: [ImportProblem]

    /// The problems, one per line, and the reassurance that nothing was applied.
    public var description: String {
        let shown = problems.prefix(20).map(\.description)
        let more = problems.count > 20 ? ["… and \(problems.count - 20) more bad lines"] : []
        return (shown + more + ["nothing from this file was imported: fix the lines above and run the import again"]).joined(separator: "\n")
    }
}
