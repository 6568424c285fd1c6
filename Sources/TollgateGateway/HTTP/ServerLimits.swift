/// What one connection may cost the gateway: how long it may take to send a request, how long it
/// may sit idle, how big a request head may be, and how many connections may be open at once.
///
/// The defaults protect a small box: a client that opens sockets and sends nothing, sends its
/// headers a byte at a time, or trickles a body is closed within seconds instead of holding a
/// descriptor forever, and connections past `maxConnections` are answered `503` and closed.
public struct ServerLimits: Sendable, Equatable {
    /// Time from accepting a connection to the end of its first request head (slowloris).
    public var requestHeadTimeout: Duration
    /// Time a keep-alive connection may wait for its next request head.
    public var idleTimeout: Duration
    /// Time from the end of a request head to the end of its body.
    public var bodyTimeout: Duration
    /// Most header fields in one request head.
    public var maxHeaderCount: Int
    /// Most bytes of header fields in one request head (also the cap on any one field).
    public var maxHeaderBytes: Int
    /// Most connections open at once; the next is answered `503 too_many_connections` and closed.
    public var maxConnections: Int

    /// Creates limits; every parameter has a default.
    public init(
        requestHeadTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(60),
        bodyTimeout: Duration = .seconds(30),
        maxHeaderCount: Int = 100,
        maxHeaderBytes: Int = 64 << 10,
        maxConnections: Int = 1000
    ) {
        self.requestHeadTimeout = requestHeadTimeout
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.maxHeaderCount = maxHeaderCount
        self.maxHeaderBytes = maxHeaderBytes
        self.maxConnections = maxConnections
    }
}
