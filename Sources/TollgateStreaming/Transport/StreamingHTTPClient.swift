import AsyncHTTPClient

/// The process-wide `HTTPClient` for long-lived streams.
///
/// `HTTPClient.shared` keeps at most 8 connections per host and queues every further request until
/// one frees up: right for a browser, wrong for a gateway relaying thousands of concurrent SSE
/// streams to one upstream host (the 9th stream would wait for the 1st to finish). This client has
/// no practical per-host cap, and no read timeout of its own: `ChatCompletionsClient`'s watchdog
/// enforces the first-byte and idle deadlines per stream.
public enum StreamingHTTPClient {
    /// Lives for the whole process, like `HTTPClient.shared`; never shut it down.
    public static let shared: HTTPClient = make(tracing: true)

    /// The same client for a gateway's upstream requests (``UpstreamClientFactory``), without
    /// AsyncHTTPClient's request spans: `tollgate serve` bootstraps no tracer, yet a span was
    /// started, given its attributes and ended for every request (~0.5 % of the gateway's CPU per
    /// stream).
    public static let upstream: HTTPClient = make(tracing: false)

    private static func make(tracing: Bool) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(30), read: nil),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1 << 20),
            decompression: .disabled
        )
        // HTTP/1.1 even to an https relay that offers HTTP/2: AsyncHTTPClient keeps one HTTP/2
        // connection per event loop and, once the server's SETTINGS_MAX_CONCURRENT_STREAMS are in
        // use (commonly 100–256), queues further requests for a free stream instead of opening
        // another connection, so long-lived streams beyond that limit would wait for others to end.
        configuration.httpVersion = .http1Only
        if !tracing { configuration.tracing.tracer = nil }
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }
}
