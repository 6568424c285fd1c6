import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateCore
import TollgateMetering
import TollgateStorage
import TollgateStreaming

/// `POST /v1/chat/completions` (streamed as SSE or answered as one JSON body) and `GET /v1/models`,
/// OpenAI-compatible, every request authenticated, admitted against its team's budget and metered
/// through the admission frame and write loop it shares with Messages (``MeteredHTTPAPI``).
struct ChatCompletionsEndpoint: MeteredHTTPAPI {
    let metering: MeteredClient
    let authenticator: GatewayAuthenticator
    let settings: GatewaySettings
    let observers: GatewayObservers
    let shutdown: ShutdownDeadline

    /// Its metrics' `protocol` label.
    var label: MeteredProtocol { .chatCompletions }

    func register(on router: Router<GatewayRequestContext>) {
        router.post("/v1/chat/completions") { request, _ in
            await admit(request)
        }
        router.get("/v1/models") { _, _ in
            let created = Int(metering.pricing.priceVersions.first.map { $0.effectiveFrom.timeIntervalSince1970 } ?? 0)
            let list = ModelList(data: metering.pricing.catalog.ids.map { ModelList.Model(id: $0.rawValue, created: created) })
            return Response.json(try JSONEncoder.gateway.encode(list))
        }
    }

    /// The team key from `Authorization: Bearer`.
    func authenticate(_ headers: HTTPFields) async throws -> (team: Team, key: APIKeyRecord) {
        try await authenticator.authenticate(headers)
    }

    func body(_ data: Data, headers: HTTPFields) throws -> CompletionRequest {
        try CompletionRequest(data)
    }

    func framing(for body: CompletionRequest, admission: MeteredAdmission) -> OpenAIFraming {
        OpenAIFraming(
            chunks: ChunkFactory(id: "chatcmpl-" + admission.requestID, model: body.model, created: Int(admission.admittedAt.timeIntervalSince1970)),
            includeUsage: body.includeUsage
        )
    }

    func response(for refusal: GatewayRefusal) -> Response {
        refusal.response
    }

    func upstreamResponse(_ refusal: GatewayRefusal, error: any Error, requestID: String) -> Response {
        let reply = GatewayRefusal.upstreamResponse(refusal, error: error, requestID: requestID)
        return Response(status: reply.status, headers: reply.headers, body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }

    /// Runs the metered stream to its end and answers one `chat.completion` body.
    func collected(_ stream: MeteredStream, body: CompletionRequest, team: Team, headers: HTTPFields) async -> Response {
        let model = body.model
        var text = ""
        var relayed: ByteBuffer?
        var summary: MeteredSummary?
        var cutoff: BudgetCutoff?
        do {
            for try await event in stream {
                switch event {
                case .chat(.textDelta(let delta)): text += delta
                case .chat(.relayed(let chunk)): relayed = chunk.payload
                case .chat: break
                case .budgetExhausted(let cut):
                    cutoff = cut
                    observers.cutOff(cut, team: team)
                case .settled(let settled): summary = settled
                }
            }
        } catch {
            _ = try? await stream.summary()
            var response = metering.metrics.sent(GatewayRefusal.upstream(error), over: label).response
            response.headers[GatewayHeader.requestID] = stream.admission.requestID
            return response
        }
        guard let summary else { return GatewayRefusal.internalError(GatewayFailure("the stream ended without a settlement")).response }
        var headers = headers
        headers[GatewayHeader.cost] = summary.charge.description
        headers[GatewayHeader.costUSD] = summary.valuation.relayUSD.decimalString
        if cutoff != nil { headers[GatewayHeader.cutoff] = RefusalCode.budgetExceeded.rawValue }
        if let relayed {
            // The upstream's body as it came, with the receipt as its last member.
            do {
                headers[.contentType] = "application/json"
                return Response(
                    status: .ok,
                    headers: headers,
                    body: ResponseBody(byteBuffer: try ReceiptSplice.adding(CompletionReceipt(summary), to: relayed))
                )
            } catch {
                return GatewayRefusal.internalError(error).response
            }
        }
        let body = CompletionBody(
            wire: ChatCompletionsResponseBody(
                id: "chatcmpl-" + summary.requestID,
                created: Int(stream.admission.admittedAt.timeIntervalSince1970),
                model: model,
                choices: [.init(message: .assistant(text), finishReason: cutoff == nil ? summary.finishReason ?? "stop" : "length")],
                usage: Self.usage(summary)
            ),
            tollgate: CompletionReceipt(summary)
        )
        do {
            return Response.json(try JSONEncoder.gateway.encode(body), headers: headers)
        } catch {
            return GatewayRefusal.internalError(error).response
        }
    }

    /// OpenAI `usage` from what was billed, with `completion_tokens_details.reasoning_tokens` when
    /// the answer had reasoning (OpenAI's shape, so SDKs read it where they read an upstream's).
    static func usage(_ summary: MeteredSummary) -> ChatCompletionsUsage {
        var usage = ChatCompletionsUsage(
            promptTokens: summary.usage.inputTokens,
            completionTokens: summary.usage.outputTokens,
            cachedTokens: summary.usage.cachedInputTokens > 0 ? summary.usage.cachedInputTokens : nil
        )
        if summary.usage.reasoningTokens > 0 { usage.completionTokensDetails = .init(reasoningTokens: summary.usage.reasoningTokens) }
        return usage
    }
}

/// A wire body with the `tollgate` receipt beside its own fields.
struct CompletionBody<Wire: Encodable>: Encodable {
    let wire: Wire
    let tollgate: CompletionReceipt

    func encode(to encoder: any Encoder) throws {
        try wire.encode(to: encoder)
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try container.encode(tollgate, forKey: AnyCodingKey("tollgate"))
    }
}

/// `GET /v1/models`, in OpenAI's list format.
private struct ModelList: Encodable {
    struct Model: Encodable {
        let id: String
        let created: Int
        var object = "model"
        var ownedBy = "tollgate"
        enum CodingKeys: String, CodingKey {
            case id, object, created
            case ownedBy = "owned_by"
        }
    }
    var object = "list"
    let data: [Model]
}

/// An internal failure with a message.
struct GatewayFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
