/// What the rows of a savings or usage report are per.
public enum ReportGrouping: String, CaseIterable, Sendable {
    /// One row per team and model (the default).
    case teamModel = "team-model"
    /// One row per team.
    case team
    /// One row per model.
    case model
    /// One row per calendar day of the report's time zone.
    case day
    /// One row per team and key (entries made without a key: key `-`); read from the raw entries.
    case key

    /// The label columns of a row, in order.
    var labelColumns: [String] {
        switch self {
        case .teamModel: ["team", "model"]
        case .team: ["team"]
        case .model: ["model"]
        case .day: ["day"]
        case .key: ["team", "key"]
        }
    }
}
