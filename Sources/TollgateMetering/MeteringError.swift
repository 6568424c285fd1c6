import Foundation
import TollgateCore

/// Why a metered request was refused before any upstream call, with everything a client needs to
/// act on it: which budget, how much is left, what was needed and when the budget resets.
public struct MeteringError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable code, used as the API error `code` and as a metric label.
    public let code: BudgetError.Code
    /// What is wrong and what to do.
    public let message: String
    /// The team's name, when known.
    public let team: String?
    /// Which budget refused (`monthly budget of 500.00 CNY`).
    public let budget: String?
    /// What the budget can still hold.
    public let available: Money?
    /// What the request needed (its worst case, or the minimum clamp).
    public let needed: Money?
    /// When the budget resets, if it ever does.
    public let resetsAt: Date?
    /// `budget_busy`: what streams in flight hold.
    public var held: Money? = nil
    /// `budget_busy`: how many streams hold it.
    public var holdingStreams: Int? = nil
    /// `budget_busy`: seconds after which a retry may fit.
    public var retryAfterSeconds: Int? = nil

    /// The message.
    public var description: String { message }

    /// A budget that cannot hold the request.
    public static func budgetExceeded(team: String, budget: Budget, available: Money, needed: Money, resetsAt: Date?) -> MeteringError {
        let named = "\(budget.period.rawValue) budget of \(budget.limit)"
        let reset = resetsAt.map { "; it resets at \($0.formatted(.iso8601))" } ?? "; it never resets (a total budget)"
        return MeteringError(
            code: .exhausted,
            message: "team '\(team)' has \(available) left of its \(named), and this request needs up to \(needed)\(reset). Lower max_tokens, wait for the reset, or ask an admin to raise the budget.",
            team: team, budget: named, available: available, needed: needed, resetsAt: resetsAt
        )
    }

    /// Unspent money would cover the request, but streams in flight hold it (after the admission wait).
    public static func budgetBusy(team: String, budget: Budget, available: Money, needed: Money, held: Money, holdingStreams: Int, retryAfterSeconds: Int, resetsAt: Date?) -> MeteringError {
        let named = "\(budget.period.rawValue) budget of \(budget.limit)"
        var error = MeteringError(
            code: .busy,
            message: "team '\(team)' has money left in its \(named), but \(held) of it is held by \(holdingStreams) stream(s) in flight and this request needs up to \(needed) (\(available) is free now). Retry in \(retryAfterSeconds) s: holds are released as streams finish; a lower max_tokens fits sooner.",
            team: team, budget: named, available: available, needed: needed, resetsAt: resetsAt
        )
        error.held = held
        error.holdingStreams = holdingStreams
        error.retryAfterSeconds = retryAfterSeconds
        return error
    }

    /// A disabled team.
    public static func teamDisabled(_ team: String) -> MeteringError {
        MeteringError(code: .teamDisabled, message: "team '\(team)' is disabled: an admin can re-enable it with 'tollgate team enable \(team)'",
                      team: team, budget: nil, available: nil, needed: nil, resetsAt: nil)
    }

    /// A model with no price.
    public static func unknownModel(_ model: String, known: [ModelID]) -> MeteringError {
        MeteringError(code: BudgetError.Code(rawValue: "unknown_model"),
                      message: "unknown model '\(model)': use one of \(known.map(\.rawValue).joined(separator: ", "))",
                      team: nil, budget: nil, available: nil, needed: nil, resetsAt: nil)
    }
}
