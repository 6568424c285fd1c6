/// How a gateway listens and behaves. Every field has a default, so tests and `tollgate serve`
/// override only what they need; nothing is read from the environment here.
public struct GatewaySettings: Sendable {
    /// Interface to bind.
    public var host: String
    /// Port to bind; 0 picks a free one (reported through `onServerRunning`).
    public var port: Int
    /// The admin API's bearer token; `nil` makes every `/admin` route answer 503.
    public var adminToken: String?
    /// Largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    /// How long open streams may continue once graceful shutdown starts; then each is stopped
    /// between events with a `gateway_shutdown` error event and settled as `shutdown`.
    public var shutdownGrace: Duration
    /// Who may read `GET /metrics` (served when `buildGateway` is given `GatewayMetrics`).
    public var metricsAccess: MetricsAccess
    /// Deadlines, header caps and the connection cap every connection is held to.
    public var limits: ServerLimits

    /// Creates settings.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        adminToken: String? = nil,
        maxBodyBytes: Int = 4 << 20,
        shutdownGrace: Duration = .seconds(10),
        metricsAccess: MetricsAccess = .open,
        limits: ServerLimits = ServerLimits()
    ) {
        self.host = host
        self.port = port
        self.adminToken = adminToken.flatMap { $0.isEmpty ? nil : $0 }
        self.maxBodyBytes = maxBodyBytes
        self.shutdownGrace = shutdownGrace
        self.metricsAccess = metricsAccess
        self.limits = limits
    }
}
