import Foundation
import Hummingbird
import NIOCore

extension GatewayRefusal {
    /// The `{"error":{...}}` body.
    public var body: Data {
        (try? JSONEncoder.gateway.encode(Envelope(error: self))) ?? Data()
    }

    /// The `error` object alone, for an SSE `data:` line or a WebSocket `error` event.
    var fields: [String: Detail] {
        var fields = details
        fields["message"] = .text(message)
        fields["type"] = .text(type)
        fields["code"] = .text(code)
        return fields
    }

    /// The refusal as an HTTP response.
    public var response: Response {
        var headers: HTTPFields = [:]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        GatewayHeader.addRateLimits(rateLimit, to: &headers)
        return Response.json(status: status, body, headers: headers)
    }

    private struct Envelope: Encodable {
        let error: GatewayRefusal
    }
}

extension GatewayRefusal: Encodable {
    /// Encodes the `error` object: message, type, code, then the details.
    public func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
    }
}

extension Response {
    /// A JSON response.
    static func json(status: HTTPResponse.Status = .ok, _ data: Data, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension JSONEncoder {
    /// Sorted keys so bodies are stable for clients diffing them and for tests.
    static var gateway: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
