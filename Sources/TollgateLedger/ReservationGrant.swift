import TollgateCore

/// The result of an atomic reservation attempt.
public struct ReservationGrant: Hashable, Sendable {
    /// The team as read inside the reservation's transaction.
    public let team: Team
    /// The budget as it stood just before this request.
    public let status: BudgetStatus
    /// What admission decided; the hold is in the ledger unless it is `.rejected`.
    public let decision: AdmissionDecision

    /// Creates a grant.
    public init(team: Team, status: BudgetStatus, decision: AdmissionDecision) {
        self.team = team
        self.status = status
        self.decision = decision
    }
}
