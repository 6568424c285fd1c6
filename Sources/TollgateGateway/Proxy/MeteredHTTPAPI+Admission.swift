import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateMetering
import TollgateStorage
import TollgateStreaming

extension MeteredHTTPAPI {
    // The connection's task keeps the memory of its deepest stack until the connection closes, and
    // admission is the deepest point of a streamed request: so this frame holds only what admission
    // needs, and responding and refusing are out-of-line calls.
    /// Authenticates, reads the body, admits against the team's budget and answers: streamed, as
    /// one body, or refused in this API's error shape.
    func admit(_ request: Request) async -> Response {
        var team: Team?
        do {
            let caller = try await authenticate(request.headers)
            team = caller.team
            let body = try body(try await collectBody(request), headers: request.headers)
            if let refusal = metering.upstream.refusal(for: body.chatRequest) {
                throw GatewayRefusal.invalidRequest(refusal.upstreamMessage ?? "\(refusal)")
            }
            let stream = try await metering.stream(teamID: caller.team.id, keyID: caller.key.id, request: body.chatRequest)
            return await respond(stream, team: caller.team, body: body)
        } catch {
            return refused(error, team: team)
        }
    }

    @inline(never)
    private func respond(_ stream: MeteredStream, team: Team, body: Body) async -> Response {
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
            return streamed(answered, team: team, model: body.model, framing: framing(for: body, admission: stream.admission), headers: headers)
        }
        return await observers.tracking(stream.admission, team: team, model: body.model, .http) {
            await metering.metrics.whileOpen(label, .json) { await collected(answered, body: body, team: team, headers: headers) }
        }
    }

    /// The upstream failed before any output (the stream is settled, at zero cost if it refused):
    /// the client gets the upstream's own reply, or the `upstream_*` refusal.
    @inline(never)
    private func upstreamRefused(_ error: any Error, requestID: String, team: Team) -> Response {
        let refusal = metering.metrics.sent(GatewayRefusal.upstreamBeforeOutput(error), over: label)
        observers.refused(refusal, team: team)
        return upstreamResponse(refusal, error: error, requestID: requestID)
    }

    /// Any error before a response head, counted and in this API's error shape.
    @inline(never)
    func refused(_ error: any Error, team: Team?) -> Response {
        let refusal = metering.metrics.sent(GatewayRefusal(error), over: label)
        observers.refused(refusal, team: team)
        return response(for: refusal)
    }

    /// The request body, up to the gateway's limit.
    func collectBody(_ request: Request) async throws -> Data {
        do {
            return Data(buffer: try await request.body.collect(upTo: settings.maxBodyBytes))
        } catch {
            throw GatewayRefusal(
                .requestTooLarge,
                message: "the request body is larger than \(settings.maxBodyBytes) bytes: send a shorter conversation"
            )
        }
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
}
