import CoreMetrics
import TollgateMetering

extension MeteringMetrics {
    /// Counts an error sent to a client (a refusal, or an error line or event mid-stream) and returns it.
    func sent(_ refusal: GatewayRefusal, over transport: GatewayTransport) -> GatewayRefusal {
        sentError(code: refusal.code, over: transport)
        return refusal
    }

    /// Counts an error sent to a client by its API code (one of the gateway's fixed codes).
    func sentError(code: String, over transport: GatewayTransport) {
        counter(.gatewayErrors, code, transport.rawValue).increment()
    }

    /// Runs `body` while counting one open stream of `kind`.
    func whileOpen<T>(_ kind: OpenStreamKind, _ body: () async throws -> T) async rethrows -> T {
        let open = meter(.openStreams, kind.rawValue)
        open.increment()
        defer { open.decrement() }
        return try await body()
    }
}

/// How a client reached the gateway, as the `protocol` label of errors.
enum GatewayTransport: String {
    case http
    case websocket
}

/// The `protocol` label of open streams.
enum OpenStreamKind: String {
    /// `stream: true` on /v1/chat/completions.
    case sse
    /// A non-streamed /v1/chat/completions answer, collected before it is sent.
    case json
    /// A turn on /v1/ws/stream.
    case websocket
}
