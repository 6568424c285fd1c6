import Foundation
import TollgateCore

/// A threshold a team's budget reached in one period, with the figures at that moment.
public struct BudgetAlert: Hashable, Sendable {
    /// The team's id.
    public let teamID: Int64
    /// The team's name when the alert was claimed.
    public let teamName: String
    /// The budget period the alert belongs to (`start` is `distantPast` for a total budget).
    public let window: PeriodWindow
    /// Which threshold was reached.
    public let threshold: AlertThreshold
    /// The period's limit.
    public let limit: Money
    /// Spent in the period when the threshold was found reached.
    public let spent: Money
    /// When it was found.
    public let occurredAt: Date

    /// Creates an alert.
    public init(teamID: Int64, teamName: String, window: PeriodWindow, threshold: AlertThreshold, limit: Money, spent: Money, occurredAt: Date) {
        self.teamID = teamID
        self.teamName = teamName
        self.window = window
        self.threshold = threshold
        self.limit = limit
        self.spent = spent
        self.occurredAt = occurredAt
    }

    /// Limit − spent (negative when a soft budget ran over).
    public var remaining: Money { limit - spent }

    /// The idempotency key: the same for every attempt and every restart, derived from the
    /// alert's unique (team, period start, threshold), e.g. `3-1793491200000-80`.
    public var id: String {
        let start = window.start == .distantPast ? "total" : String(Int64((window.start.timeIntervalSince1970 * 1000).rounded(.down)))
        return "\(teamID)-\(start)-\(threshold.name)"
    }
}

/// One alert's delivery to one webhook, pending until it succeeds or is given up.
public struct AlertDelivery: Hashable, Sendable {
    /// The delivery's row id.
    public let id: Int64
    /// The alert to deliver.
    public let alert: BudgetAlert
    /// Where to deliver it.
    public let webhook: String
    /// Attempts made so far.
    public let attempts: Int

    /// Creates a delivery.
    public init(id: Int64, alert: BudgetAlert, webhook: String, attempts: Int) {
        self.id = id
        self.alert = alert
        self.webhook = webhook
        self.attempts = attempts
    }
}
