import Foundation
import HTTPTypes
import TollgateCore
import TollgateMetering
import TollgateStorage
import TollgateStreaming

/// A refused request, as an HTTP status plus the OpenAI-style body
/// `{"error":{"message","type","code",...}}`; over WebSocket the same fields form an `error` event.
///
/// `code` is stable and documented (README, "Gateway"); `message` says what is wrong and what to do.
public struct GatewayRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// HTTP status of the refusal.
    public let status: HTTPResponse.Status
    /// Stable machine-readable code (`budget_exceeded`, `invalid_api_key`, ...).
    public let code: String
    /// OpenAI error type (`insufficient_quota`, `authentication_error`, ...).
    public let type: String
    /// What is wrong and what to do.
    public let message: String
    /// Extra fields beside the standard ones (budget figures, valid models), as strings or string lists.
    public var details: [String: Detail] = [:]
    /// Seconds after which a retry may succeed, sent as `Retry-After` (`budget_busy`, `rate_limited`).
    public var retryAfterSeconds: Int? = nil
    /// `rate_limited`: the limit figures, sent as the `x-ratelimit-*` headers.
    public var rateLimit: RateLimitCheck? = nil

    /// An extra field's value; amounts are exact decimal strings, never floats.
    public enum Detail: Sendable, Hashable, Encodable {
        /// A string.
        case text(String)
        /// A list of strings.
        case list([String])

        /// Encodes the bare value.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let value): try container.encode(value)
            case .list(let value): try container.encode(value)
            }
        }
    }

    /// The message.
    public var description: String { message }

    /// Creates a refusal.
    public init(status: HTTPResponse.Status, code: String, type: String, message: String, details: [String: Detail] = [:]) {
        self.status = status
        self.code = code
        self.type = type
        self.message = message
        self.details = details
    }

    /// A refusal whose status and type are its code's, from the catalogue (``RefusalCode``).
    public init(_ code: RefusalCode, message: String, details: [String: Detail] = [:]) {
        self.init(status: code.status, code: code.rawValue, type: code.type, message: message, details: details)
    }

    /// No or a malformed `Authorization` header.
    public static let missingKey = GatewayRefusal(
        .invalidAPIKey,
        message: "missing API key: send 'Authorization: Bearer <team key>' (create one with 'tollgate key create --team NAME')"
    )

    /// A body that is not a valid request.
    public static func invalidRequest(_ message: String) -> GatewayRefusal {
        GatewayRefusal(.invalidRequest, message: message)
    }

    /// The upstream relay failed before anything was delivered (non-streaming). What the relay said
    /// is scrubbed of credentials (relays echo the key they were sent).
    public static func upstream(_ error: any Error) -> GatewayRefusal {
        // A stream also ends on its own ledger's failure (a settlement refused, an extension that
        // could not be written): that is not the relay's fault, and the client must not read it so.
        if let ledger = error as? LedgerError {
            return GatewayRefusal(
                .ledgerFailed,
                message:
                    "the budget ledger could not record this stream: \(scrubbed(ledger)). What was delivered stays held against the budget until the reclaimer settles the hold; retry if the answer is incomplete."
            )
        }
        return GatewayRefusal(
            .upstreamError,
            message: "the upstream relay failed: \(scrubbed(error)). What arrived (if anything) was billed; retry the request."
        )
    }

    /// An error's description with anything shaped like a credential replaced, for messages and logs.
    static func scrubbed(_ error: any Error) -> String {
        SecretScrubber().scrub("\(error)")
    }

    /// The ledger can't be reached (a PostgreSQL restart, say): admission fails closed, because a
    /// request admitted without its hold could overspend. Clients should retry after a short wait.
    public static func ledgerUnavailable(_ error: LedgerError) -> GatewayRefusal {
        GatewayRefusal(
            .ledgerUnavailable,
            message: "the budget ledger is unreachable, so nothing can be admitted: \(scrubbed(error)). Retry in a few seconds; nothing was charged."
        )
    }

    /// The team's ledger entries add up beyond what can be summed (a ledger written before the
    /// bounds on amounts): only this team is refused, until an operator appends a correction.
    public static let ledgerOverflow = GatewayRefusal(
        .ledgerOverflow,
        message:
            "this team's ledger entries add up beyond what Tollgate can sum, so its budget can't be checked: an operator must append correcting entries ('tollgate team show' names the fix). Nothing was charged."
    )

    /// An unexpected failure; the message names no secret.
    public static func internalError(_ error: any Error) -> GatewayRefusal {
        GatewayRefusal(
            .internalError,
            message: "the gateway failed: \(scrubbed(error)). Check the gateway's log; the request was not charged unless it streamed."
        )
    }

    /// The refusal for an error thrown by authentication or admission.
    public init(_ error: any Error) {
        if let refusal = error as? GatewayRefusal {
            self = refusal
        } else if let metering = error as? MeteringError {
            self.init(metering)
        } else if let budget = error as? BudgetError {
            self.init(budget)
        } else if error is LedgerSumOverflow {
            self = .ledgerOverflow
        } else if let ledger = error as? LedgerError, ledger.code == .unavailable {
            self = .ledgerUnavailable(ledger)
        } else if error is MoneyError || error is DecodingError {
            self = .invalidRequest("\(error)")
        } else {
            self = .internalError(error)
        }
    }

    /// A metering refusal: budget, disabled team or unknown model.
    public init(_ error: MeteringError) {
        switch error.code {
        case .exhausted:
            var details: [String: Detail] = [:]
            details["budget"] = error.budget.map(Detail.text)
            details["available"] = error.available.map { .text($0.decimalString) }
            details["needed"] = error.needed.map { .text($0.decimalString) }
            details["currency"] = (error.available ?? error.needed).map { .text($0.currency.rawValue) }
            details["resets_at"] = error.resetsAt.map { .text($0.formatted(.iso8601)) }
            details["scope"] = error.scope.map(Detail.text)
            details["key"] = error.key.map(Detail.text)
            self.init(.budgetExceeded, message: error.message, details: details)
        case .busy:
            // 429, so clients (the OpenAI SDK among them) retry by themselves after Retry-After.
            var details: [String: Detail] = [:]
            details["budget"] = error.budget.map(Detail.text)
            details["available"] = error.available.map { .text($0.decimalString) }
            details["needed"] = error.needed.map { .text($0.decimalString) }
            details["held"] = error.held.map { .text($0.decimalString) }
            details["holding_streams"] = error.holdingStreams.map { .text(String($0)) }
            details["currency"] = (error.held ?? error.needed).map { .text($0.currency.rawValue) }
            details["retry_after"] = error.retryAfterSeconds.map { .text(String($0)) }
            details["scope"] = error.scope.map(Detail.text)
            details["key"] = error.key.map(Detail.text)
            self.init(.budgetBusy, message: error.message, details: details)
            retryAfterSeconds = error.retryAfterSeconds
        case MeteringError.rateLimitedCode:
            // 429 with Retry-After, as OpenAI answers its own rate limits, so SDKs retry by themselves.
            var details: [String: Detail] = [:]
            details["scope"] = error.scope.map(Detail.text)
            details["key"] = error.key.map(Detail.text)
            details["limit_type"] = error.rateLimit?.exceeded.map(Detail.text)
            details["limit"] = error.rateLimit?.limit.map { .text(String($0)) }
            details["used"] = error.rateLimit?.used.map { .text(String($0)) }
            details["retry_after"] = error.retryAfterSeconds.map { .text(String($0)) }
            self.init(.rateLimited, message: error.message, details: details)
            retryAfterSeconds = error.retryAfterSeconds
            rateLimit = error.rateLimit
        case .teamDisabled:
            // Worded as authentication's refusal of the same team, which names both admin tools.
            self.init(
                .teamDisabled,
                message: error.team.map { BudgetError(.teamDisabled, error.message, problem: .teamDisabled($0)).httpMessage } ?? error.message
            )
        case BudgetError.Code(rawValue: RefusalCode.unknownModel.rawValue):
            self.init(.unknownModel, message: error.message)
        default:
            self.init(status: .badRequest, code: error.code.rawValue, type: "invalid_request_error", message: error.message)
        }
    }

    /// An admin or authentication refusal from `QuotaAdmin`.
    public init(_ error: BudgetError) {
        switch error.code {
        case .invalidKey:
            self.init(.invalidAPIKey, message: error.httpMessage)
        case .teamDisabled:
            self.init(.teamDisabled, message: error.httpMessage)
        case .unknownTeam:
            self.init(.unknownTeam, message: error.httpMessage)
        case .duplicateTeam:
            self.init(.duplicateTeam, message: error.httpMessage)
        case .ledgerOverflow:
            self.init(.ledgerOverflow, message: error.httpMessage)
        default:
            self.init(status: .badRequest, code: error.code.rawValue, type: "invalid_request_error", message: error.httpMessage)
        }
    }
}
