import TollgateCore

/// The result of an atomic reservation attempt.
public struct ReservationGrant: Hashable, Sendable {
    /// The team as read inside the reservation's transaction.
    public let team: Team
    /// The budget as it stood just before this request: the team's, or the key's own when `scope`
    /// is `.key` (the key had less room left).
    public let status: BudgetStatus
    /// What admission decided; the hold is in the ledger unless it is `.rejected`.
    public let decision: AdmissionDecision
    /// Which budget `status` is and `decision` was judged against.
    public let scope: BudgetScope
    /// The team's and key's rate limits for this request, when either has any; when it refuses
    /// (`allowed` false) nothing was held, whatever `decision` says the budget would have allowed.
    public let rateLimit: RateLimitCheck?

    /// Creates a grant.
    public init(team: Team, status: BudgetStatus, decision: AdmissionDecision, scope: BudgetScope = .team, rateLimit: RateLimitCheck? = nil) {
        self.team = team
        self.status = status
        self.decision = decision
        self.scope = scope
        self.rateLimit = rateLimit
    }

    /// Whether a hold was written: the budget granted one and no rate limit refused.
    public var held: Bool { decision.hold != nil && rateLimit?.allowed != false }
}
