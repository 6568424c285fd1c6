import CoreMetrics
import TollgateMetering

extension MeteringMetrics {
    /// Counts an error sent to a client (a refusal, or an error line or event mid-stream) and returns it.
    func sent(_ refusal: GatewayRefusal, over api: MeteredProtocol) -> GatewayRefusal {
        sentError(code: refusal.code, over: api)
        return refusal
    }

    /// Counts an error sent to a client by its API code (one of the gateway's fixed codes).
    func sentError(code: String, over api: MeteredProtocol) {
        counter(.gatewayErrors, code, api.rawValue).increment()
    }

    /// The gauge of streams open through `api` over `transport`.
    func openStreams(_ api: MeteredProtocol, _ transport: StreamTransport) -> Meter {
        meter(.openStreams, api.rawValue, transport.rawValue)
    }

    /// Runs `body` while counting one open stream of `api` over `transport`.
    func whileOpen<T>(_ api: MeteredProtocol, _ transport: StreamTransport, _ body: () async throws -> T) async rethrows -> T {
        let open = openStreams(api, transport)
        open.increment()
        defer { open.decrement() }
        return try await body()
    }
}

/// The `transport` label of open streams: how the answer reaches the client.
enum StreamTransport: String {
    /// `stream: true`: server-sent events.
    case sse
    /// A non-streamed answer, collected before it is sent as one JSON body.
    case json
    /// A turn on /v1/ws/stream.
    case websocket
}
