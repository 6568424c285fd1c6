import Foundation
import TollgateCore

/// A team: who spends, under which budget.
public struct Team: Hashable, Sendable {
    /// Storage id.
    public let id: Int64
    /// Unique name used on the command line and in reports.
    public let name: String
    /// The budget settings.
    public let budget: Budget
    /// Disabled teams are refused before any upstream call.
    public let disabled: Bool
    /// When the team was created.
    public let createdAt: Date
    /// Requests/tokens per minute and concurrent streams for the whole team.
    public let limits: RateLimits

    /// Creates a team record.
    public init(id: Int64, name: String, budget: Budget, disabled: Bool, createdAt: Date, limits: RateLimits = .none) {
        self.id = id
        self.name = name
        self.budget = budget
        self.disabled = disabled
        self.createdAt = createdAt
        self.limits = limits
    }
}
