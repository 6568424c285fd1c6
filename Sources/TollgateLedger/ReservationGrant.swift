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

    /// Creates a grant.
    public init(team: Team, status: BudgetStatus, decision: AdmissionDecision, scope: BudgetScope = .team) {
        self.team = team
        self.status = status
        self.decision = decision
        self.scope = scope
    }
}
