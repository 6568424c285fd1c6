import TollgateCore
import TollgateMetering

/// The `tollgate` object added to a completion (and to a stream's usage chunk): what the request
/// was charged, in exact decimal strings, with the versions it was priced at; and, when the
/// answer had any, the reasoning part of its billed output tokens (priced as output: it is shown,
/// not charged apart).
struct CompletionReceipt: Encodable, Sendable {
    let requestID: String
    let cost: String
    let currency: String
    let listPriceUSD: String
    let priceVersion: String
    let fxVersion: String
    let tokenSource: String
    let outcome: String
    /// `nil` (left out) when the answer had no reasoning.
    let reasoningTokens: Int?

    enum CodingKeys: String, CodingKey {
        case cost, currency, outcome
        case requestID = "request_id"
        case listPriceUSD = "list_price_usd"
        case priceVersion = "price_version"
        case fxVersion = "fx_version"
        case tokenSource = "token_source"
        case reasoningTokens = "reasoning_tokens"
    }

    init(_ summary: MeteredSummary) {
        requestID = summary.requestID
        cost = summary.charge.decimalString
        currency = summary.charge.currency.rawValue
        listPriceUSD = summary.valuation.relayUSD.decimalString
        priceVersion = summary.valuation.priceVersion
        fxVersion = summary.valuation.fxVersion
        tokenSource = summary.tokenSource.rawValue
        outcome = summary.outcome.rawValue
        reasoningTokens = summary.usage.reasoningTokens > 0 ? summary.usage.reasoningTokens : nil
    }
}
