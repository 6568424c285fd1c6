import Foundation
import TollgateCore

/// A hold still in the ledger: a stream that hasn't settled, or whose gateway died before it could.
public struct OpenReservation: Hashable, Sendable {
    /// What was asked for at admission.
    public let draft: ReservationDraft
    /// The money held, in the team's budget currency.
    public let held: Money
    /// `reserved` until the upstream opened, then `streaming`.
    public let state: Reservation.State
    /// How admission let it in.
    public let admission: String
    /// Output tokens in the last durable progress record.
    public let outputTokens: Int
    /// When that progress was recorded.
    public let progressAt: Date?
    /// When the hold lapses unless renewed.
    public let leaseExpiresAt: Date

    /// Creates a record.
    public init(
        draft: ReservationDraft,
        held: Money,
        state: Reservation.State,
        admission: String,
        outputTokens: Int,
        progressAt: Date?,
        leaseExpiresAt: Date
    ) {
        self.draft = draft
        self.held = held
        self.state = state
        self.admission = admission
        self.outputTokens = outputTokens
        self.progressAt = progressAt
        self.leaseExpiresAt = leaseExpiresAt
    }

    /// Usage as far as it is durably known: the prompt plus the last recorded output.
    public var usageSoFar: TokenUsage {
        var usage = draft.prompt
        usage.outputTokens = outputTokens
        return usage
    }
}
