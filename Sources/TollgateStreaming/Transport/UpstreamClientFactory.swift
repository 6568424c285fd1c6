import Logging

/// Builds the right streaming client for an upstream URL.
public enum UpstreamClientFactory {
    /// A client for `url` authenticating with `apiKey`.
    ///
    /// - `ws://` / `wss://` → ``RelayWebSocketClient``; an empty path becomes `/v1/ws/stream`.
    /// - `http://` / `https://` → ``ChatCompletionsClient`` on ``StreamingHTTPClient/upstream`` (not
    ///   `HTTPClient.shared`, which would queue all but 8 concurrent streams per host), reading
    ///   ahead of its consumer (``relaying``); the path is
    ///   completed to `…/v1/chat/completions` (`https://host` and `https://host/v1` both work).
    /// - `anthropicURL` (`https://host`, `…/v1` or `…/v1/messages`): Anthropic Messages bodies go
    ///   there instead of the main upstream's `/v1/messages` (``MessagesRoute``), with the same key.
    /// - Throws: ``StreamingError/invalidRequest`` for other schemes or an empty key.
    public static func client(url: String, apiKey: String, anthropicURL: String?) throws -> any ChatStreamingClient {
        let main = try client(url: url, apiKey: apiKey)
        guard let anthropicURL else { return main }
        let lower = anthropicURL.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw StreamingError(
                .invalidRequest,
                message: "the Anthropic upstream '\(anthropicURL)' must be an http:// or https:// URL, such as https://api.anthropic.com"
            )
        }
        var trimmed = anthropicURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        let messagesURL = trimmed.hasSuffix("/v1/messages") ? trimmed : trimmed.hasSuffix("/v1") ? trimmed + "/messages" : trimmed + "/v1/messages"
        let messages = ChatCompletionsClient(
            url: String(messagesURL.dropLast("/messages".count)) + "/chat/completions",
            apiKey: apiKey,
            configuration: relaying,
            httpClient: StreamingHTTPClient.upstream,
            logger: quiet,
            messagesURL: messagesURL
        )
        return MessagesRoute(main: main, messages: messages)
    }

    /// An upstream SSE stream is read up to 16 KiB ahead of the gateway's write loop
    /// (``ChatCompletionsClient/Configuration/readAhead``), so the events of one socket read reach
    /// the client in one write.
    static let relaying = ChatCompletionsClient.Configuration(readAhead: 16 * 1024)

    /// AsyncHTTPClient logs only at debug and trace, which `tollgate serve` never enables, yet set
    /// its request metadata on the logger it was given for every request: a no-op logger costs nothing.
    static let quiet = Logger(label: "tollgate.streaming.sse", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A client for `url`: the relay WebSocket for `ws`/`wss`, OpenAI SSE for `http`/`https`
    /// (whose `/v1/messages` beside it serves Anthropic Messages bodies).
    public static func client(url: String, apiKey: String) throws -> any ChatStreamingClient {
        guard !apiKey.isEmpty else {
            throw StreamingError(.invalidRequest, message: "the API key is empty; pass the relay key issued for this deployment")
        }
        let parts = url.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else {
            throw StreamingError(.invalidRequest, message: "'\(url)' is not a URL; use wss://HOST\(RelayWebSocketProtocol.path) or https://HOST/v1")
        }
        let scheme = parts[0].lowercased()
        let rest = parts[1]
        let path = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? ""
        let base = path.isEmpty ? url : String(url.dropLast(path.count))
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        switch scheme {
        case "ws", "wss":
            return RelayWebSocketClient(url: trimmed.isEmpty ? base + RelayWebSocketProtocol.path : url, apiKey: apiKey)
        case "http", "https":
            let endpoint: String
            if trimmed.hasSuffix("/chat/completions") {
                endpoint = base + trimmed
            } else if trimmed.hasSuffix("/v1") {
                endpoint = base + trimmed + "/chat/completions"
            } else {
                endpoint = base + trimmed + "/v1/chat/completions"
            }
            return ChatCompletionsClient(
                url: endpoint,
                apiKey: apiKey,
                configuration: relaying,
                httpClient: StreamingHTTPClient.upstream,
                logger: quiet
            )
        default:
            throw StreamingError(
                .invalidRequest,
                message: "unsupported scheme '\(scheme)' in '\(url)'; use ws/wss for the WebSocket relay or http/https for /v1/chat/completions"
            )
        }
    }
}
