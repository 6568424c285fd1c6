/// The outcome of checking one request against a team's budget.
public enum AdmissionDecision: Hashable, Sendable {
    /// The hold (the worst case, or prompt + expected output) fits: hold it and stream up to `maxOutputTokens`.
    case admitted(hold: Money, maxOutputTokens: Int)
    /// Policy `clamp`: `max_tokens` was lowered to what the budget affords; hold that worst case.
    case clamped(hold: Money, maxOutputTokens: Int, requested: Int)
    /// Policy `soft`: admitted although the worst case exceeds what is left by `overrun`; the stream
    /// is cut if its running cost reaches `cutoff` (all that was left).
    case softOverrun(hold: Money, maxOutputTokens: Int, cutoff: Money, overrun: Money)
    /// Refused: `needed` (the hold, or the minimum clamp) exceeds `available`.
    case rejected(available: Money, needed: Money)

    /// The amount to reserve, or `nil` when refused.
    public var hold: Money? {
        switch self {
        case .admitted(let hold, _), .clamped(let hold, _, _), .softOverrun(let hold, _, _, _): hold
        case .rejected: nil
        }
    }

    /// The running cost at which the stream must be cut: the hold, or what a soft budget had left.
    public var cutoff: Money? {
        switch self {
        case .softOverrun(_, _, let cutoff, _): cutoff
        default: hold
        }
    }

    /// The `max_tokens` to send upstream, or `nil` when refused.
    public var maxOutputTokens: Int? {
        switch self {
        case .admitted(_, let tokens), .clamped(_, let tokens, _), .softOverrun(_, let tokens, _, _): tokens
        case .rejected: nil
        }
    }

    /// A stable name for metrics and the ledger: `admitted`, `clamped`, `soft_overrun`, `rejected`.
    public var name: String {
        switch self {
        case .admitted: "admitted"
        case .clamped: "clamped"
        case .softOverrun: "soft_overrun"
        case .rejected: "rejected"
        }
    }
}
