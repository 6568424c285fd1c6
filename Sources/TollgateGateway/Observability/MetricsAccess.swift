/// Who may read `GET /metrics`. It shows every team's spend and budget, so on anything but a
/// private interface it wants a token (Prometheus sends it with `authorization: credentials:`).
public enum MetricsAccess: Sendable, Hashable {
    /// Anyone who reaches the port: right for a loopback or private scrape network.
    case open
    /// Only `Authorization: Bearer <token>`, compared in constant time.
    case token(String)
    /// `/metrics` answers 503 saying how to enable it.
    case disabled
}
