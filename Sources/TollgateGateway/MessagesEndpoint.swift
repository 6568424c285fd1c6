import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateCore
import TollgateLedger
import TollgateMetering
import TollgateStreaming

/// `POST /v1/messages` (streamed as Anthropic SSE or answered as one JSON body) and
/// `POST /v1/messages/count_tokens`: the Anthropic Messages API as a metering proxy beside the
/// OpenAI one, on the same team keys, admission, metering and settlement. Every refusal is in
/// Anthropic's error shape (``GatewayRefusal/anthropicBody``).
struct MessagesEndpoint: Sendable {
    let metering: MeteredClient
    let authenticator: GatewayAuthenticator
    let settings: GatewaySettings
    let observers: GatewayObservers
    let shutdown: ShutdownDeadline

    func register(on router: Router<GatewayRequestContext>) {
        router.post("/v1/messages") { request, _ in
            await create(request)
        }
        router.post("/v1/messages/count_tokens") { request, _ in
            await countTokens(request)
        }
    }

    /// The team key from `x-api-key` (the Anthropic SDK's header) or `Authorization: Bearer`.
    private func authenticate(_ headers: HTTPFields) async throws -> (team: Team, key: APIKeyRecord) {
        let key = headers[HTTPField.Name("x-api-key")!] ?? headers[.authorization].flatMap(GatewayAuthenticator.bearerToken)
        guard let key, !key.isEmpty else { throw GatewayRefusal.missingAnthropicKey }
        return try await authenticator.authenticate(key: key)
    }

    // As on the OpenAI path: this frame holds only what admission needs (see ChatCompletionsEndpoint).
    private func create(_ request: Request) async -> Response {
        var team: Team?
        do {
            let caller = try await authenticate(request.headers)
            team = caller.team
            let body = try MessagesRequest(try await collect(request), headers: request.headers)
            if let refusal = metering.upstream.refusal(for: body.chatRequest) { throw GatewayRefusal.invalidRequest(refusal.upstreamMessage ?? "\(refusal)") }
            let stream = try await metering.stream(teamID: caller.team.id, keyID: caller.key.id, request: body.chatRequest)
            return await respond(stream, team: caller.team, body: body)
        } catch {
            return refused(error, team: team)
        }
    }

    @inline(never)
    private func respond(_ stream: MeteredStream, team: Team, body: MessagesRequest) async -> Response {
        let headers = ChatCompletionsEndpoint.admissionHeaders(stream.admission)
        // Nothing is sent before the upstream's first output, so its refusal keeps its own status.
        let answered: MeteredStream
        do {
            answered = try await stream.answered()
        } catch {
            let refusal = metering.metrics.sent(GatewayRefusal.upstreamBeforeOutput(error), over: .messages)
            observers.refused(refusal, team: team)
            let reply = GatewayRefusal.upstreamResponse(refusal, error: error, requestID: stream.admission.requestID, anthropic: true)
            return Response(status: reply.status, headers: reply.headers, body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
        }
        if body.isStreaming {
            return streamed(answered, team: team, model: body.model, headers: headers)
        }
        return await observers.tracking(stream.admission, team: team, model: body.model, .http) {
            await metering.metrics.whileOpen(.messages, .json) { await collected(answered, headers: headers, team: team) }
        }
    }

    @inline(never)
    private func refused(_ error: any Error, team: Team?) -> Response {
        let refusal = metering.metrics.sent(GatewayRefusal(error), over: .messages)
        observers.refused(refusal, team: team)
        return refusal.anthropicResponse
    }

    private func collect(_ request: Request) async throws -> Data {
        do {
            return Data(buffer: try await request.body.collect(upTo: settings.maxBodyBytes))
        } catch {
            throw GatewayRefusal(status: .contentTooLarge, code: "request_too_large", type: "invalid_request_error",
                                 message: "the request body is larger than \(settings.maxBodyBytes) bytes: send a shorter conversation")
        }
    }

    /// Runs a non-streamed answer to its end: the upstream's body as it came, the receipt its last member.
    private func collected(_ stream: MeteredStream, headers: HTTPFields, team: Team) async -> Response {
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
            var response = metering.metrics.sent(GatewayRefusal.upstream(error), over: .messages).anthropicResponse
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
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: try ReceiptSplice.adding(CompletionReceipt(summary), to: relayed)))
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
            let data = try await collect(request)
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
                    return metering.metrics.sent(GatewayRefusal.upstreamBeforeOutput(error), over: .messages).anthropicResponse
                }
                var headers = HTTPFields()
                for header in reply.headers {
                    if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
                }
                if headers[.contentType] == nil { headers[.contentType] = "application/json" }
                return Response(status: HTTPResponse.Status(code: reply.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
            }
            let pricing = metering.pricing
            guard let info = pricing.catalog.resolve(ModelID(rawValue: model)) else {
                throw MeteringError.unknownModel(model, known: pricing.catalog.ids)
            }
            let counter = try metering.tokenizers.counter(for: info)
            let count = AnthropicPromptCounting.count(body: .object(body.json), with: counter, settings: metering.settings)
            let answer = #"{"input_tokens":\#(count.total),"tollgate":{"estimate":true,"token_source":"\#(count.tokenSource(countedWith: counter).rawValue)"}}"#
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Tollgate-Token-Estimate")!] = "true"
            return Response.json(Data(answer.utf8), headers: headers)
        } catch {
            return refused(error, team: nil)
        }
    }
}
