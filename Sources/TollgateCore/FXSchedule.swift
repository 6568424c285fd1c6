/// Which exchange rate applies.
public enum FXSchedule: String, Sendable, Hashable, CaseIterable, Codable {
    /// The relay's rate (¥1 per $1 of list usage): what teams actually pay.
    case relay
    /// The official rate (¥7.3 per $1): what the same usage costs bought directly.
    case baseline
}
