import HTTPTypes
import TollgateCore
import TollgateMetering

/// Every code a gateway refusal carries, with its HTTP status, its OpenAI error type and what it
/// means: the one catalogue the OpenAI, Anthropic and relay WebSocket edges, the admin API and the
/// metrics take their codes from, and the table ARCHITECTURE.md ("Refusal codes") documents.
///
/// Codes are stable: clients, alerts and dashboards key on them. The status is the one the gateway
/// answers with; an upstream's own refusal (`rate_limit_exceeded`, `model_not_found`,
/// `upstream_bad_request`, `upstream_error`) keeps the upstream's status when it gave one.
public struct RefusalCode: Sendable, Hashable, CustomStringConvertible {
    /// The code as sent (`budget_exceeded`).
    public let rawValue: String
    /// The HTTP status a refusal with this code answers with.
    public let status: HTTPResponse.Status
    /// The OpenAI error `type` beside it (Anthropic's type is derived from the status).
    public let type: String
    /// What it means for the client, in a line.
    public let meaning: String

    /// The code.
    public var description: String { rawValue }

    init(_ rawValue: String, _ status: Int, _ type: String, _ meaning: String) {
        self.rawValue = rawValue
        self.status = HTTPResponse.Status(code: status)
        self.type = type
        self.meaning = meaning
    }

    // Budgets, limits and keys: Tollgate's own refusals.

    /// The team's or the key's budget can't hold the request's worst case (also a stream cut by its budget).
    public static let budgetExceeded = RefusalCode(
        BudgetError.Code.exhausted.rawValue,
        402,
        "insufficient_quota",
        "the team's or the key's budget can't hold the request's worst case, or ran out mid-stream"
    )
    /// Unspent money would cover the request, but streams in flight hold it.
    public static let budgetBusy = RefusalCode(
        BudgetError.Code.busy.rawValue,
        429,
        "rate_limit_error",
        "unspent money would cover the request but streams in flight hold it: retry after Retry-After"
    )
    /// A requests/tokens per minute or concurrent-streams limit is used up.
    public static let rateLimited = RefusalCode(
        MeteringError.rateLimitedCode.rawValue,
        429,
        "rate_limit_error",
        "the team's or the key's rate limit is used up: retry after Retry-After; nothing was charged"
    )
    /// A missing, unknown or revoked team key.
    public static let invalidAPIKey = RefusalCode(
        BudgetError.Code.invalidKey.rawValue,
        401,
        "authentication_error",
        "missing, unknown or revoked team key (on the admin API: no key with that prefix)"
    )
    /// The team is disabled.
    public static let teamDisabled = RefusalCode(BudgetError.Code.teamDisabled.rawValue, 403, "permission_error", "the team is disabled")
    /// A model with no price.
    public static let unknownModel = RefusalCode("unknown_model", 404, "invalid_request_error", "the model has no price, so it can't be metered")
    /// A team's ledger entries add up beyond what can be summed.
    public static let ledgerOverflow = RefusalCode(
        BudgetError.Code.ledgerOverflow.rawValue,
        409,
        "api_error",
        "the team's ledger entries add up beyond what can be summed: an operator appends corrections"
    )
    /// The ledger can't be reached; admission fails closed.
    public static let ledgerUnavailable = RefusalCode(
        "ledger_unavailable",
        503,
        "api_error",
        "the budget ledger is unreachable, so nothing is admitted: retry shortly; nothing was charged"
    )

    // Requests and connections.

    /// A body that is not a valid request.
    public static let invalidRequest = RefusalCode("invalid_request", 400, "invalid_request_error", "the body or frame is not a valid request")
    /// An admin input that doesn't parse or is out of range.
    public static let invalidInput = RefusalCode(
        BudgetError.Code.invalidInput.rawValue,
        400,
        "invalid_request_error",
        "an admin input that doesn't parse or is out of range"
    )
    /// No team has this name (admin API).
    public static let unknownTeam = RefusalCode(BudgetError.Code.unknownTeam.rawValue, 404, "invalid_request_error", "no team has this name")
    /// A team with this name exists already (admin API).
    public static let duplicateTeam = RefusalCode(
        BudgetError.Code.duplicateTeam.rawValue,
        409,
        "invalid_request_error",
        "a team with this name exists already"
    )
    /// A body over the gateway's limit.
    public static let requestTooLarge = RefusalCode("request_too_large", 413, "invalid_request_error", "the request body is over the gateway's limit")
    /// A session's history over its cap (relay WebSocket).
    public static let historyTooLarge = RefusalCode(
        "history_too_large",
        413,
        "invalid_request_error",
        "a WebSocket session's history is full: start a new session"
    )
    /// A request the HTTP parser could not read; the connection is closed.
    public static let malformedRequest = RefusalCode(
        "malformed_request",
        400,
        "invalid_request_error",
        "not valid HTTP/1.1; the connection is closed"
    )
    /// A head or body that did not arrive in time; the connection is closed.
    public static let requestTimeout = RefusalCode(
        "request_timeout",
        408,
        "invalid_request_error",
        "the request did not arrive in time; the connection is closed"
    )
    /// A connection past the gateway's cap.
    public static let tooManyConnections = RefusalCode(
        "too_many_connections",
        503,
        "api_error",
        "the gateway's connection cap is reached: retry shortly"
    )
    /// No route for this method and path.
    public static let unknownRoute = RefusalCode("unknown_route", 404, "invalid_request_error", "no route for this method and path")
    /// The gateway is stopping: a stream past its grace period, or a WebSocket session between turns.
    public static let gatewayShutdown = RefusalCode(
        "gateway_shutdown",
        503,
        "api_error",
        "the gateway is stopping: what was delivered is billed; retry or reconnect"
    )
    /// An unexpected failure.
    public static let internalError = RefusalCode("internal_error", 500, "api_error", "the gateway failed; see its log")
    /// The ledger failed or refused mid-stream (an extension or the settlement), not the upstream.
    public static let ledgerFailed = RefusalCode(
        "ledger_failed",
        500,
        "api_error",
        "the ledger failed mid-stream: what was delivered stays held until the reclaimer settles it; retry if the answer is incomplete"
    )

    // The upstream relay, before any output.

    /// The upstream failed before anything was delivered.
    public static let upstreamError = RefusalCode("upstream_error", 502, "api_error", "the upstream relay failed or refused before any output")
    /// The upstream refused the gateway's own credentials.
    public static let upstreamAuthFailed = RefusalCode(
        "upstream_auth_failed",
        502,
        "api_error",
        "the upstream refused the gateway's upstream key: the operator must fix it"
    )
    /// The upstream could not be reached.
    public static let upstreamUnreachable = RefusalCode(
        "upstream_unreachable",
        502,
        "api_error",
        "the upstream could not be reached; nothing was charged"
    )
    /// The upstream did not start answering in time.
    public static let upstreamTimeout = RefusalCode("upstream_timeout", 504, "api_error", "the upstream did not start answering in time")
    /// The upstream answered with something that is not a chat completion.
    public static let upstreamMalformed = RefusalCode("upstream_malformed", 502, "api_error", "the upstream's answer is not a chat completion")
    /// The upstream refused the request as malformed.
    public static let upstreamBadRequest = RefusalCode(
        "upstream_bad_request",
        400,
        "invalid_request_error",
        "the upstream refused the request as invalid"
    )
    /// The upstream's own rate limit.
    public static let upstreamRateLimited = RefusalCode(
        "rate_limit_exceeded",
        429,
        "rate_limit_error",
        "the upstream's own rate limit (not Tollgate's)"
    )
    /// The upstream does not know the model.
    public static let upstreamUnknownModel = RefusalCode("model_not_found", 404, "invalid_request_error", "the upstream does not serve the model")

    // The admin API and /metrics.

    /// No admin token is configured.
    public static let adminDisabled = RefusalCode("admin_disabled", 503, "service_unavailable", "the admin API is off: set TOLLGATE_ADMIN_TOKEN")
    /// A wrong or missing admin token.
    public static let invalidAdminToken = RefusalCode("invalid_admin_token", 401, "authentication_error", "the admin API needs the admin token")
    /// `/metrics` is off (listening beyond loopback without a token).
    public static let metricsDisabled = RefusalCode(
        "metrics_disabled",
        503,
        "service_unavailable",
        "/metrics is off beyond loopback without a metrics token"
    )
    /// A wrong or missing metrics token.
    public static let invalidMetricsToken = RefusalCode("invalid_metrics_token", 401, "authentication_error", "/metrics needs the metrics token")

    /// Every code, in the order ARCHITECTURE.md lists them.
    public static let all: [RefusalCode] = [
        budgetExceeded, budgetBusy, rateLimited, invalidAPIKey, teamDisabled, unknownModel, ledgerOverflow, ledgerUnavailable,
        invalidRequest, invalidInput, unknownTeam, duplicateTeam, requestTooLarge, historyTooLarge, malformedRequest, requestTimeout,
        tooManyConnections, unknownRoute, gatewayShutdown, internalError, ledgerFailed,
        upstreamError, upstreamAuthFailed, upstreamUnreachable, upstreamTimeout, upstreamMalformed, upstreamBadRequest,
        upstreamRateLimited, upstreamUnknownModel,
        adminDisabled, invalidAdminToken, metricsDisabled, invalidMetricsToken,
    ]

    /// The catalogue's entry for a code, `nil` for one it doesn't list.
    public static func named(_ rawValue: String) -> RefusalCode? { all.first { $0.rawValue == rawValue } }
}
