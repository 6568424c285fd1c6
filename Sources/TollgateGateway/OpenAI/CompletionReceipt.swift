import NIOCore
import TollgateCore
import TollgateMetering
import TollgateStreaming

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
        self.init(
            requestID: summary.requestID,
            cost: summary.charge.decimalString,
            currency: summary.charge.currency.rawValue,
            listPriceUSD: summary.valuation.relayUSD.decimalString,
            priceVersion: summary.valuation.priceVersion,
            fxVersion: summary.valuation.fxVersion,
            tokenSource: summary.tokenSource.rawValue,
            outcome: summary.outcome.rawValue,
            reasoningTokens: summary.usage.reasoningTokens > 0 ? summary.usage.reasoningTokens : nil
        )
    }

    init(
        requestID: String,
        cost: String,
        currency: String,
        listPriceUSD: String,
        priceVersion: String,
        fxVersion: String,
        tokenSource: String,
        outcome: String,
        reasoningTokens: Int?
    ) {
        self.requestID = requestID
        self.cost = cost
        self.currency = currency
        self.listPriceUSD = listPriceUSD
        self.priceVersion = priceVersion
        self.fxVersion = fxVersion
        self.tokenSource = tokenSource
        self.outcome = outcome
        self.reasoningTokens = reasoningTokens
    }

    /// The receipt as `JSONEncoder.gateway` writes it (sorted keys, slashes unescaped), byte for
    /// byte, without `JSONEncoder`: every streamed answer's usage chunk carries one, and encoding
    /// it was ~0.7 % of the gateway's CPU per stream.
    func write(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"cost":"#)
        JSONOutput.writeString(cost, into: &buffer)
        buffer.writeStaticString(#","currency":"#)
        JSONOutput.writeString(currency, into: &buffer)
        buffer.writeStaticString(#","fx_version":"#)
        JSONOutput.writeString(fxVersion, into: &buffer)
        buffer.writeStaticString(#","list_price_usd":"#)
        JSONOutput.writeString(listPriceUSD, into: &buffer)
        buffer.writeStaticString(#","outcome":"#)
        JSONOutput.writeString(outcome, into: &buffer)
        buffer.writeStaticString(#","price_version":"#)
        JSONOutput.writeString(priceVersion, into: &buffer)
        if let reasoningTokens {
            buffer.writeStaticString(#","reasoning_tokens":"#)
            buffer.writeString(String(reasoningTokens))
        }
        buffer.writeStaticString(#","request_id":"#)
        JSONOutput.writeString(requestID, into: &buffer)
        buffer.writeStaticString(#","token_source":"#)
        JSONOutput.writeString(tokenSource, into: &buffer)
        buffer.writeStaticString("}")
    }
}
