import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateCore
import TollgateLedger
import TollgateMetering
import TollgateStreaming

/// `POST /v1/chat/completions` (streamed as SSE or answered as one JSON body) and `GET /v1/models`,
/// OpenAI-compatible, every request authenticated, admitted against its team's budget and metered.
struct ChatCompletionsEndpoint: Sendable {
    let metering: MeteredClient
    let authenticator: GatewayAuthenticator
    let settings: GatewaySettings
    let observers: GatewayObservers
    let shutdown: ShutdownDeadline

    func register(on router: Router<GatewayRequestContext>) {
        router.post("/v1/chat/completions") { request, _ in
            await complete(request)
        }
        router.get("/v1/models") { _, _ in
            let created = Int(metering.pricing.priceVersions.first.map { $0.effectiveFrom.timeIntervalSince1970 } ?? 0)
            let list = ModelList(data: metering.pricing.catalog.ids.map { ModelList.Model(id: $0.rawValue, created: created) })
            return Response.json(try JSONEncoder.gateway.encode(list))
        }
    }

    // The connection's task keeps the memory of its deepest stack until the connection closes, and
    // admission is the deepest point of a streamed request: so this frame holds only what admission
    // needs, and responding and refusing are out-of-line calls.
    private func complete(_ request: Request) async -> Response {
        var team: Team?
        do {
            let caller = try await authenticator.authenticate(request.headers)
            team = caller.team
            let body = try await decode(request)
            if let refusal = metering.upstream.refusal(for: body.chatRequest) { throw GatewayRefusal.invalidRequest(refusal.upstreamMessage ?? "\(refusal)") }
            let stream = try await metering.stream(teamID: caller.team.id, keyID: caller.key.id, request: body.chatRequest)
            return await respond(stream, team: caller.team, body: body)
        } catch {
            return refused(error, team: team)
        }
    }

    @inline(never)
    private func respond(_ stream: MeteredStream, team: Team, body: CompletionRequest) async -> Response {
        let headers = Self.admissionHeaders(stream.admission)
        // The response head waits for the upstream's first output: until then nothing is sent, so
        // an upstream refusal, timeout or garbage can still be answered with its own status.
        let answered: MeteredStream
        do {
            answered = try await stream.answered()
        } catch {
            return upstreamRefused(error, requestID: stream.admission.requestID, team: team)
        }
        if body.isStreaming {
            return streamed(answered, team: team, model: body.model, includeUsage: body.includeUsage, headers: headers)
        }
        return await observers.tracking(stream.admission, team: team, model: body.model, .http) {
            await collected(answered, team: team, model: body.model, headers: headers)
        }
    }

    /// The upstream failed before any output (the stream is settled, at zero cost if it refused):
    /// the client gets the upstream's own reply, or the `upstream_*` refusal.
    @inline(never)
    private func upstreamRefused(_ error: any Error, requestID: String, team: Team) -> Response {
        let refusal = metering.metrics.sent(GatewayRefusal.upstreamBeforeOutput(error), over: .http)
        observers.refused(refusal, team: team)
        let reply = GatewayRefusal.upstreamResponse(refusal, error: error, requestID: requestID)
        return Response(status: reply.status, headers: reply.headers, body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }

    @inline(never)
    private func refused(_ error: any Error, team: Team?) -> Response {
        let refusal = metering.metrics.sent(GatewayRefusal(error), over: .http)
        observers.refused(refusal, team: team)
        return refusal.response
    }

    private func decode(_ request: Request) async throws -> CompletionRequest {
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: settings.maxBodyBytes)
        } catch {
            throw GatewayRefusal(status: .contentTooLarge, code: "request_too_large", type: "invalid_request_error",
                                 message: "the request body is larger than \(settings.maxBodyBytes) bytes: send a shorter conversation")
        }
        return try CompletionRequest(Data(buffer: bytes))
    }

    /// Headers known at admission: request id, price version and what the budget holds after this hold.
    static func admissionHeaders(_ admission: MeteredAdmission) -> HTTPFields {
        var headers = HTTPFields()
        headers[GatewayHeader.requestID] = admission.requestID
        headers[GatewayHeader.priceVersion] = admission.priceVersion
        headers[GatewayHeader.remainingBudget] = admission.availableAfterHold.description
        GatewayHeader.addRateLimits(admission.rateLimit, to: &headers)
        return headers
    }

    /// Runs the metered stream to its end and answers one `chat.completion` body.
    private func collected(_ stream: MeteredStream, team: Team, model: String, headers: HTTPFields) async -> Response {
        await metering.metrics.whileOpen(.json) { await collect(stream, team: team, model: model, headers: headers) }
    }

    private func collect(_ stream: MeteredStream, team: Team, model: String, headers: HTTPFields) async -> Response {
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
            var response = metering.metrics.sent(GatewayRefusal.upstream(error), over: .http).response
            response.headers[GatewayHeader.requestID] = stream.admission.requestID
            return response
        }
        guard let summary else { return GatewayRefusal.internalError(GatewayFailure("the stream ended without a settlement")).response }
        var headers = headers
        headers[GatewayHeader.cost] = summary.charge.description
        headers[GatewayHeader.costUSD] = summary.valuation.relayUSD.decimalString
        if cutoff != nil { headers[GatewayHeader.cutoff] = "budget_exceeded" }
        if let relayed {
            // The upstream's body as it came, with the receipt as its last member.
            do {
                headers[.contentType] = "application/json"
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: try ReceiptSplice.adding(CompletionReceipt(summary), to: relayed)))
            } catch {
                return GatewayRefusal.internalError(error).response
            }
        }
        let body = CompletionBody(
            wire: ChatCompletionsResponseBody(
                id: "chatcmpl-" + summary.requestID, created: Int(stream.admission.admittedAt.timeIntervalSince1970), model: model,
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
            promptTokens: summary.usage.inputTokens, completionTokens: summary.usage.outputTokens,
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
