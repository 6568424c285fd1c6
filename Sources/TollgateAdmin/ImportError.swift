/// One bad line of an import file.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number, or position in a JSON array (0 for the file as a whole).
    public let line: Int
    /// What is wrong with it.
    public let message: String
    /// What `line` counts: `line`, or `entry` in a file that is one JSON array.
    public let unit: String

    /// A problem with one line (or, with `unit` `entry`, one element of an array).
    public init(line: Int, message: String, unit: String = "line") {
        self.line = line
        self.message = message
        self.unit = unit
    }

    /// `line 3: missing field 'model'`, `entry 3: …`.
    public var description: String { line > 0 ? "\(unit) \(line): \(message)" : message }
}

/// An import refused as a whole because some lines are bad; nothing was written.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    /// Every bad line found.
    public let problems: [ImportProblem]

    /// The problems, one per line, and the reassurance that nothing was applied.
    public var description: String {
        let shown = problems.prefix(20).map(\.description)
        let more = problems.count > 20 ? ["… and \(problems.count - 20) more bad events"] : []
        return (shown + more + ["nothing from this file was imported: fix the events above and run the import again"]).joined(separator: "\n")
    }
}
