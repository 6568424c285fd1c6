/// The relay WebSocket protocol's fixed names, spelled once for the client, the simulator, the
/// gateway and the CLI: a relay that moves its path or renames its header is one edit here.
public enum RelayWebSocketProtocol {
    /// The path the relay serves the protocol on (and so the gateway and the simulator).
    public static let path = "/v1/ws/stream"
    /// The relay's vendor header naming the model at the upgrade; a frame's own `model` wins.
    public static let modelHeader = "X-HolySheep-Model"

    /// `ws://HOST:PORT/v1/ws/stream`, for loopback clients (the CLI's `chat`, tests, benchmarks).
    public static func url(scheme: String = "ws", host: String = "127.0.0.1", port: Int) -> String {
        "\(scheme)://\(host):\(port)\(path)"
    }
}
