import ArgumentParser
import Foundation
import TollgateStreaming

/// `--upstream URL` (then `TOLLGATE_UPSTREAM_URL`) and `TOLLGATE_UPSTREAM_KEY`: the relay to stream
/// from. `ws://`/`wss://` URLs use the relay WebSocket protocol, `http://`/`https://` OpenAI SSE.
public struct UpstreamOptions: ParsableArguments {
    /// Explicit upstream URL.
    @Option(help: "Upstream relay URL (default: $TOLLGATE_UPSTREAM_URL; none: the built-in relay simulator).")
    public var upstream: String?

    /// The Anthropic Messages upstream, when it is not the main upstream's `/v1/messages`.
    @Option(help: "Upstream for /v1/messages (default: $TOLLGATE_ANTHROPIC_UPSTREAM_URL; none: the main upstream's /v1/messages when it is http(s)).")
    public var anthropicUpstream: String?

    /// The configured Anthropic upstream URL, if any.
    public var anthropicURL: String? {
        let value = anthropicUpstream ?? ProcessInfo.processInfo.environment["TOLLGATE_ANTHROPIC_UPSTREAM_URL"]
        return value?.isEmpty == false ? value : nil
    }

    /// Creates options (used by argument parsing).
    public init() {}

    /// The configured URL, if any.
    public var url: String? {
        let value = upstream ?? ProcessInfo.processInfo.environment["TOLLGATE_UPSTREAM_URL"]
        return value?.isEmpty == false ? value : nil
    }

    /// The upstream key; it never leaves the process (not printed, not logged).
    public var key: String {
        ProcessInfo.processInfo.environment["TOLLGATE_UPSTREAM_KEY"].flatMap { $0.isEmpty ? nil : $0 } ?? "tollgate-local"
    }

    /// A streaming client for `url`.
    public func client(url: String) throws -> any ChatStreamingClient {
        do {
            return try UpstreamClientFactory.client(url: url, apiKey: key, anthropicURL: anthropicURL)
        } catch {
            throw CLIError("cannot use upstream '\(url)': \(error) — give a ws://, wss://, http:// or https:// URL")
        }
    }
}
