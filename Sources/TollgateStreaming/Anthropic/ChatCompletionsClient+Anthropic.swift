import AsyncHTTPClient
import NIOCore
import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ChatCompletionsClient {
    /// The `anthropic-version` sent when the client sent none: the only version Anthropic has
    /// published, which every Messages-compatible relay accepts.
    public static let defaultAnthropicVersion = "2023-06-01"

    /// `…/chat/completions` → `…/messages`; any other URL gets `/v1/messages` on its origin.
    static func messagesURL(besides url: String) -> String {
        if url.hasSuffix("/chat/completions") { return String(url.dropLast("/chat/completions".count)) + "/messages" }
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host else { return url }
        return "\(scheme)://\(host)\(parsed.port.map { ":\($0)" } ?? "")/v1/messages"
    }

    /// Anthropic's own authentication and versioning: the upstream key as `x-api-key` (what
    /// Anthropic reads; the `Authorization: Bearer` beside it is what OpenAI-style relays read),
    /// and the client's `anthropic-version` / `anthropic-beta` as sent.
    static func anthropicHeaders(apiKey: String, forwarded: [String: String]) -> [(String, String)] {
        var headers = [("x-api-key", apiKey), ("anthropic-version", forwarded["anthropic-version"] ?? defaultAnthropicVersion)]
        if let beta = forwarded["anthropic-beta"] { headers.append(("anthropic-beta", beta)) }
        return headers
    }

    /// Relays a `POST /v1/messages/count_tokens` body to the upstream and returns its reply
    /// (scrubbed of the upstream key), or nil when the upstream has no such endpoint (404/405) or
    /// can't be reached, so the caller can answer with its own estimate.
    public func countTokens(body: [UInt8], forwarded: [String: String]) async -> UpstreamReply? {
        var request = HTTPClientRequest(url: messagesURL + "/count_tokens")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(contentsOf: Self.anthropicHeaders(apiKey: apiKey, forwarded: forwarded))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(60), logger: logger)
            let bytes = try await response.body.collect(upTo: Self.errorBodyLimit)
            guard response.status != .notFound, response.status != .methodNotAllowed else { return nil }
            let reply = UpstreamReply(status: Int(response.status.code), headers: response.headers, body: bytes)
            return reply.scrubbed(by: SecretScrubber(secrets: [apiKey]))
        } catch {
            return nil
        }
    }
}
