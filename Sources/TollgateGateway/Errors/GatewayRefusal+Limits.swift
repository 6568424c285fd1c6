import NIOCore
import NIOHTTP1

extension GatewayRefusal {
    /// A request the HTTP parser could not read (bad bytes, a garbage request line, both
    /// `Content-Length` and `Transfer-Encoding`, a head over the limits); the connection is closed.
    static func malformedRequest(_ error: any Error, limits: ServerLimits) -> GatewayRefusal {
        GatewayRefusal(
            .malformedRequest,
            message: "the request is not valid HTTP/1.1 (\(error)): send a request line like 'POST /v1/chat/completions HTTP/1.1', "
                + "printable header names and values, Content-Length or Transfer-Encoding but not both, and at most "
                + "\(limits.maxHeaderCount) headers of at most \(limits.maxHeaderBytes) bytes in all; the connection is closed"
        )
    }

    /// A request whose head or body did not arrive in time; the connection is closed.
    static func requestTimeout(_ part: String, within limit: Duration) -> GatewayRefusal {
        GatewayRefusal(
            .requestTimeout,
            message: "the request \(part) did not arrive within \(limit); send the whole request at once and retry on a new connection"
        )
    }

    /// A connection past the gateway's connection cap; it is closed after this answer.
    static func tooManyConnections(_ maximum: Int) -> GatewayRefusal {
        GatewayRefusal(
            .tooManyConnections,
            message: "the gateway already has its maximum of \(maximum) connections open: retry shortly, and reuse keep-alive connections"
        )
    }

    /// A `chat.message` that would take a session's history past its cap.
    static func historyFull(messages: Int, bytes: Int) -> GatewayRefusal {
        GatewayRefusal(
            .historyTooLarge,
            message: "this session's history is full (at most \(messages) messages and \(bytes) bytes, each sent and billed again on every turn): "
                + "start a new session, or send chat.completion with only the messages you need"
        )
    }

    /// The refusal as the raw bytes of an HTTP/1.1 response that closes the connection.
    var closingResponse: (head: HTTPResponseHead, body: ByteBuffer) {
        let body = ByteBuffer(bytes: self.body)
        let headers = HTTPHeaders([
            ("Content-Type", "application/json"), ("Content-Length", String(body.readableBytes)), ("Connection", "close"),
        ])
        return (HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: Int(status.code)), headers: headers), body)
    }
}
