import NIOCore
import NIOHTTP1

/// What an OpenAI-compatible upstream answered instead of a response (a non-2xx status before any
/// output): the status, the headers a client acts on, and the error body as sent.
///
/// A gateway hands it to its client unchanged, so SDKs raise the error they would against the
/// upstream itself (`RateLimitError` with `Retry-After`, `BadRequestError`, ...). The body and
/// header values are scrubbed of credentials before anyone sees them (``SecretScrubber``).
public struct UpstreamReply: Sendable, Hashable {
    /// One relayed header.
    public struct Header: Sendable, Hashable {
        /// The name, lowercased.
        public var name: String
        /// The value.
        public var value: String

        /// Creates a header.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The upstream's HTTP status (400 or above).
    public var status: Int
    /// `Content-Type`, `Retry-After`, `retry-after-ms` and `x-ratelimit-*`, in the upstream's order.
    public var headers: [Header]
    /// The error body's bytes (at most ``ChatCompletionsClient`` reads for an error body).
    public var body: [UInt8]

    /// Creates a reply.
    public init(status: Int, headers: [Header] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Whether a client needs `name` to act on the refusal: its type, when to retry, and
    /// Anthropic's `request-id` and `anthropic-ratelimit-*` (what its SDK reports and reads).
    public static func isRelayed(_ name: String) -> Bool {
        let name = name.lowercased()
        return name == "content-type" || name == "retry-after" || name == "retry-after-ms" || name.hasPrefix("x-ratelimit-")
            || name == "request-id" || name.hasPrefix("anthropic-ratelimit-")
    }

    /// The reply of a response head and the body read so far.
    init(status: Int, headers: HTTPHeaders, body: ByteBuffer?) {
        self.init(
            status: status,
            headers: headers.filter { Self.isRelayed($0.name) }.map { Header(name: $0.name.lowercased(), value: $0.value) },
            body: body.map { Array($0.readableBytesView) } ?? []
        )
    }

    /// The reply with every secret of `scrubber` (and every credential shape) replaced, in the body
    /// and the header values; the bytes are left as sent when nothing needed replacing.
    func scrubbed(by scrubber: SecretScrubber) -> UpstreamReply {
        var copy = self
        copy.headers = headers.map { Header(name: $0.name, value: scrubber.scrub($0.value)) }
        let text = String(decoding: body, as: UTF8.self)
        let clean = scrubber.scrub(text)
        // Bytes that aren't UTF-8 decode with replacement characters: compare with the decoded
        // text, so an untouched body keeps its exact bytes.
        if clean != text { copy.body = Array(clean.utf8) }
        return copy
    }
}
