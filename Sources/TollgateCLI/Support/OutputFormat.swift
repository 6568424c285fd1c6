import ArgumentParser

/// How a listing is printed.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Aligned columns for people.
    case table
    /// An array of objects; amounts are exact decimal strings.
    case json
    /// RFC 4180 CSV with a header row, for spreadsheets.
    case csv
}

/// `--format table|json|csv`, shared by every listing command.
public struct FormatOptions: ParsableArguments {
    /// The chosen format.
    @Option(name: .long, help: "Output format: table, json or csv.")
    public var format: OutputFormat = .table

    /// Creates options (used by argument parsing).
    public init() {}
}
