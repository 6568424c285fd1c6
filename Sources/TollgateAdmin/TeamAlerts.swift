import TollgateCore
import TollgateStorage

/// A team's alert thresholds, and whether they are its own or the defaults.
public struct TeamAlerts: Hashable, Sendable {
    /// The team.
    public let team: Team
    /// The thresholds in force (empty: alerts off).
    public let thresholds: [AlertThreshold]
    /// Whether these are the defaults (50/80/100 %, exhausted, plus the budget's soft limit).
    public let isDefault: Bool

    /// Creates the settings.
    public init(team: Team, thresholds: [AlertThreshold], isDefault: Bool) {
        self.team = team
        self.thresholds = thresholds
        self.isDefault = isDefault
    }

    /// The defaults for `team`: 50, 80, 100 % and exhausted, plus its budget's soft limit
    /// (`--soft-limit 90` alerts at 90 % too).
    public static func defaults(for team: Team) -> [AlertThreshold] {
        var thresholds = Set(AlertThreshold.defaults)
        if let soft = team.budget.softLimitPercent { thresholds.insert(.percent(soft)) }
        return thresholds.sorted()
    }
}
