import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateCore
import TollgateMetering
import TollgateStorage
import TollgateStreaming

/// `POST /v1/messages` (streamed as Anthropic SSE or answered as one JSON body) and
/// `POST /v1/messages/count_tokens`: the Anthropic Messages API as a metering proxy beside the
/// OpenAI one, on the same team keys, admission, metering and settlement. Every refusal is in
/// Anthropic's error shape (``GatewayRefusal/anthropicBody``). The admission frame and the write
/// loop are the ones Chat Completions uses (``MeteredHTTPAPI``), with ``AnthropicFraming``.
struct MessagesEndpoint: MeteredHTTPAPI {
    let metering: MeteredClient
    let authenticator: GatewayAuthenticator
    let settings: GatewaySettings
    let observers: GatewayObservers
    let shutdown: ShutdownDeadline

    /// Its metrics' `protocol` label.
    var label: MeteredProtocol { .messages }

    func register(on router: Router<GatewayRequestContext>) {
        router.post("/v1/messages") { request, _ in
            await admit(request)
        }
        router.post("/v1/messages/count_tokens") { request, _ in
            await countTokens(request)
        }
    }

    /// The team key from `x-api-key` (the Anthropic SDK's header) or `Authorization: Bearer`.
    func authenticate(_ headers: HTTPFields) async throws -> (team: Team, key: APIKeyRecord) {
        let key = headers[HTTPField.Name("x-api-key")!] ?? headers[.authorization].flatMap(GatewayAuthenticator.bearerToken)
        guard let key, !key.isEmpty else { throw GatewayRefusal.missingAnthropicKey }
        return try await authenticator.authenticate(key: key)
    }

    func body(_ data: Data, headers: HTTPFields) throws -> MessagesRequest {
        try MessagesRequest(data, headers: headers)
    }

    func framing(for body: MessagesRequest, admission: MeteredAdmission) -> AnthropicFraming {
        AnthropicFraming()
    }

    func response(for refusal: GatewayRefusal) -> Response {
        refusal.anthropicResponse
    }

    func upstreamResponse(_ refusal: GatewayRefusal, error: any Error, requestID: String) -> Response {
        let reply = GatewayRefusal.upstreamResponse(refusal, error: error, requestID: requestID, anthropic: true)
        return Response(status: reply.status, headers: reply.headers, body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }

    /// Runs a non-streamed answer to its end: the upstream's body as it came, the receipt its last member.
    func collected(_ stream: MeteredStream, body: MessagesRequest, team: Team, headers: HTTPFields) async -> Response {
        var relayed: ByteBuffer?
        var summary: MeteredSummary?
        do {
            for try await event in stream {
                switch event {
                case .chat(.relayed(let chunk)): relayed = chunk.payload
                case .chat: break
                case .budgetExhausted(let cut): observers.cutOff(cut, team: team)
                case .settled(let settled): summary = settled
                }
            }
        } catch {
            _ = try? await stream.summary()
            var response = metering.metrics.sent(GatewayRefusal.upstream(error), over: label).anthropicResponse
            response.headers[GatewayHeader.requestID] = stream.admission.requestID
            return response
        }
        guard let summary, let relayed else {
            return GatewayRefusal.internalError(GatewayFailure("the answer ended without a body or a settlement")).anthropicResponse
        }
        var headers = headers
        headers[GatewayHeader.cost] = summary.charge.description
        headers[GatewayHeader.costUSD] = summary.valuation.relayUSD.decimalString
        headers[.contentType] = "application/json"
        do {
            return Response(
                status: .ok,
                headers: headers,
                body: ResponseBody(byteBuffer: try ReceiptSplice.adding(CompletionReceipt(summary), to: relayed))
            )
        } catch {
            return GatewayRefusal.internalError(error).anthropicResponse
        }
    }

    /// Relayed to the upstream's `count_tokens` when it has one (its answer as sent); otherwise
    /// Tollgate's own count (the prompt admission would reserve), marked as an estimate in the
    /// body (`tollgate.estimate: true`) and the `X-Tollgate-Token-Estimate` header.
    private func countTokens(_ request: Request) async -> Response {
        do {
            _ = try await authenticate(request.headers)
            let data = try await collectBody(request)
            let body: ChatRequestBody
            do {
                body = try ChatRequestBody(bytes: Array(data), api: .anthropicMessages)
            } catch {
                throw GatewayRefusal.invalidRequest("the body is not JSON: send a count_tokens request object")
            }
            guard case .string(let model)? = body.json["model"] else { throw GatewayRefusal.invalidRequest("model: Field required") }
            guard case .array? = body.json["messages"] else { throw GatewayRefusal.invalidRequest("messages: Field required") }
            var forwarded: [String: String] = [:]
            for name in MessagesRequest.forwarded {
                if let field = HTTPField.Name(name), let value = request.headers[field] { forwarded[name] = value }
            }
            if let reply = await metering.upstream.countTokens(body: body.bytes, forwarded: forwarded) {
                // A refused upstream key is the gateway's problem, never the upstream's words (they may quote it).
                if reply.status == 401 || reply.status == 403 {
                    let error = StreamingError(.authenticationFailed, httpStatus: reply.status)
                    return metering.metrics.sent(GatewayRefusal.upstreamBeforeOutput(error), over: label).anthropicResponse
                }
                var headers = HTTPFields()
                for header in reply.headers {
                    if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
                }
                if headers[.contentType] == nil { headers[.contentType] = "application/json" }
                return Response(
                    status: HTTPResponse.Status(code: reply.status),
                    headers: headers,
                    body: .init(byteBuffer: ByteBuffer(bytes: reply.body))
                )
            }
            let pricing = metering.pricing
            guard let info = pricing.catalog.resolve(ModelID(rawValue: model)) else {
                throw MeteringError.unknownModel(model, known: pricing.catalog.ids)
            }
            let counter = try metering.tokenizers.counter(for: info)
            let count = AnthropicPromptCounting.count(body: .object(body.json), with: counter, settings: metering.settings)
            let answer =
                #"{"input_tokens":\#(count.total),"tollgate":{"estimate":true,"token_source":"\#(count.tokenSource(countedWith: counter).rawValue)"}}"#
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Tollgate-Token-Estimate")!] = "true"
            return Response.json(Data(answer.utf8), headers: headers)
        } catch {
            return refused(error, team: nil)
        }
    }
}
