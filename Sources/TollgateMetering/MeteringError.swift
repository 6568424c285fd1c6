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
    /// `budget_exceeded` / `budget_busy`: which budget refused, `team` or `key` (the key's own).
    public var scope: String? = nil
    /// When `scope` is `key`: the key's prefix.
    public var key: String? = nil
    /// `rate_limited`: the limit figures, for the `x-ratelimit-*` headers.
    public var rateLimit: RateLimitCheck? = nil

    /// The message.
    public var description: String { message }

    // The admin's remedies, in the domain's words: each edge that shows the error to someone who
    // can act on it (the CLI) follows them with its own command, so no message here names one.

    /// A key budget's remedy, after which the CLI names `tollgate key set-budget`.
    public static let raiseKeyBudget = "ask an admin to raise the key's budget"
    /// A rate limit's remedy, after which the CLI names `tollgate team|key set-limits`.
    public static let raiseLimit = "An admin can raise it"
    /// A disabled team's remedy, after which the CLI names `tollgate team enable`.
    public static let reenableTeam = "an admin can re-enable it"

    /// A budget that cannot hold the request: the team's, or with `key` the key's own (same code,
    /// so clients that handle `budget_exceeded` need nothing new; `scope` tells the two apart).
    public static func budgetExceeded(
        team: String,
        budget: Budget,
        available: Money,
        needed: Money,
        resetsAt: Date?,
        key: (prefix: String, budget: KeyBudget)? = nil
    ) -> MeteringError {
        let scope = Scope(team: team, budget: budget, key: key)
        let reset = resetsAt.map { "; it resets at \($0.formatted(.iso8601))" } ?? "; it never resets (a total budget)"
        var error = MeteringError(
            code: .exhausted,
            message:
                "\(scope.who) has \(available) left of its \(scope.named), and this request needs up to \(needed)\(reset). Lower max_tokens, wait for the reset, or \(scope.fix).",
            team: team,
            budget: scope.named,
            available: available,
            needed: needed,
            resetsAt: resetsAt
        )
        scope.mark(&error)
        return error
    }

    /// Unspent money would cover the request, but streams in flight hold it (after the admission
    /// wait); with `key`, the key's own budget is the one held.
    public static func budgetBusy(
        team: String,
        budget: Budget,
        available: Money,
        needed: Money,
        held: Money,
        holdingStreams: Int,
        retryAfterSeconds: Int,
        resetsAt: Date?,
        key: (prefix: String, budget: KeyBudget)? = nil
    ) -> MeteringError {
        let scope = Scope(team: team, budget: budget, key: key)
        var error = MeteringError(
            code: .busy,
            message:
                "\(scope.who) has money left in its \(scope.named), but \(held) of it is held by \(holdingStreams) stream(s) in flight and this request needs up to \(needed) (\(available) is free now). Retry in \(retryAfterSeconds) s: holds are released as streams finish; a lower max_tokens fits sooner.",
            team: team,
            budget: scope.named,
            available: available,
            needed: needed,
            resetsAt: resetsAt
        )
        error.held = held
        error.holdingStreams = holdingStreams
        error.retryAfterSeconds = retryAfterSeconds
        scope.mark(&error)
        return error
    }

    /// How a budget refusal names the budget that refused.
    private struct Scope {
        let who: String, named: String, fix: String, key: String?

        init(team: String, budget: Budget, key: (prefix: String, budget: KeyBudget)?) {
            if let key {
                who = "key '\(key.prefix)' of team '\(team)'"
                named = "\(key.budget.period.rawValue) key budget of \(key.budget.limit)"
                fix = MeteringError.raiseKeyBudget
                self.key = key.prefix
            } else {
                who = "team '\(team)'"
                named = "\(budget.period.rawValue) budget of \(budget.limit)"
                fix = "ask an admin to raise the budget"
                self.key = nil
            }
        }

        func mark(_ error: inout MeteringError) {
            error.scope = key == nil ? "team" : "key"
            error.key = key
        }
    }

    /// The code of a rate-limit refusal: distinct from every budget code, in answers and metrics.
    public static let rateLimitedCode = BudgetError.Code(rawValue: "rate_limited")

    /// A team's or key's requests/tokens per minute or concurrent streams are used up.
    public static func rateLimited(team: String, check: RateLimitCheck) -> MeteringError {
        let who = check.key.map { "key '\($0)' of team '\(team)'" } ?? "team '\(team)'"
        let what =
            switch check.exceeded {
            case "streams": "\(check.limit ?? 0) concurrent streams (\(check.used ?? 0) open)"
            case "tokens":
                "\(check.limit ?? 0) tokens per minute (\(check.used ?? 0) used in the last minute, counting max_tokens of requests in flight)"
            default: "\(check.limit ?? 0) requests per minute (\(check.used ?? 0) in the last minute)"
            }
        var error = MeteringError(
            code: rateLimitedCode,
            message:
                "\(who) is at its rate limit of \(what). Retry in \(check.retryAfterSeconds) s; nothing was charged. \(MeteringError.raiseLimit).",
            team: team,
            budget: nil,
            available: nil,
            needed: nil,
            resetsAt: nil
        )
        error.retryAfterSeconds = check.retryAfterSeconds
        error.scope = check.scope
        error.key = check.key
        error.rateLimit = check
        return error
    }

    /// A disabled team.
    public static func teamDisabled(_ team: String) -> MeteringError {
        MeteringError(
            code: .teamDisabled,
            message: "team '\(team)' is disabled: \(MeteringError.reenableTeam)",
            team: team,
            budget: nil,
            available: nil,
            needed: nil,
            resetsAt: nil
        )
    }

    /// A model with no price.
    public static func unknownModel(_ model: String, known: [ModelID]) -> MeteringError {
        MeteringError(
            code: BudgetError.Code(rawValue: "unknown_model"),
            message: "unknown model '\(model)': use one of \(known.map(\.rawValue).joined(separator: ", "))",
            team: nil,
            budget: nil,
            available: nil,
            needed: nil,
            resetsAt: nil
        )
    }
}
