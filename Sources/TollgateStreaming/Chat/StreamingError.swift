/// Why a streaming or non-streaming chat request failed.
///
/// An opaque struct rather than an enum so new kinds can be added without breaking callers.
/// Two errors compare equal when they are the same ``Kind``, so tests and callers can match on
/// the static members (`#expect(throws: StreamingError.rateLimited)`), while ``upstreamMessage``
/// carries what the relay actually said.
public struct StreamingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The category of a failure; its description is short and safe as a metric label.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Code: String, Sendable {
            case authenticationFailed = "authentication_failed"
            case unknownModel = "unknown_model"
            case rateLimited = "rate_limited"
            case badRequest = "bad_request"
            case upstreamError = "upstream_error"
            case upstreamClosedBeforeDone = "upstream_closed_before_done"
            case timeout = "timeout"
            case protocolViolation = "protocol_violation"
            case connectionFailed = "connection_failed"
            case invalidRequest = "invalid_request"
        }

        fileprivate let code: Code

        /// The relay rejected the API key (HTTP 401 or an auth error frame).
        public static let authenticationFailed = Kind(code: .authenticationFailed)
        /// The relay does not serve the requested model (HTTP 400 naming the model).
        public static let unknownModel = Kind(code: .unknownModel)
        /// The relay is throttling this key (HTTP 429).
        public static let rateLimited = Kind(code: .rateLimited)
        /// The relay rejected the request for another reason (other HTTP 4xx).
        public static let badRequest = Kind(code: .badRequest)
        /// The relay or the model provider failed (HTTP 5xx or an unclassified error frame).
        public static let upstreamError = Kind(code: .upstreamError)
        /// The connection ended after the request was sent but before the relay said it was done.
        /// Content already delivered may have been billed; the client never replays such a stream.
        public static let upstreamClosedBeforeDone = Kind(code: .upstreamClosedBeforeDone)
        /// A handshake, first-byte or idle deadline passed.
        public static let timeout = Kind(code: .timeout)
        /// The relay sent something this client cannot interpret (malformed JSON, wrong shape).
        public static let protocolViolation = Kind(code: .protocolViolation)
        /// No connection could be established, after all configured attempts.
        public static let connectionFailed = Kind(code: .connectionFailed)
        /// The request cannot be sent as given (checked before any network I/O).
        public static let invalidRequest = Kind(code: .invalidRequest)

        /// A stable snake_case label such as `rate_limited`.
        public var description: String { code.rawValue }
    }

    /// The category of the failure.
    public let kind: Kind
    /// What the upstream said, or a description of what this client observed, with anything shaped
    /// like a credential replaced (``SecretScrubber``): relays echo the keys they were sent.
    public let upstreamMessage: String?
    /// The HTTP status that carried the error, when there was one.
    public let httpStatus: Int?
    /// What an HTTP upstream answered instead of a response (status, relayable headers, error
    /// body), credential shapes scrubbed; nil for every other failure.
    public let reply: UpstreamReply?

    /// Creates an error of a kind with the upstream's message (its credential shapes scrubbed).
    public init(_ kind: Kind, message: String? = nil, httpStatus: Int? = nil, reply: UpstreamReply? = nil) {
        self.kind = kind
        self.upstreamMessage = message.map(SecretScrubber.scrubShapes)
        self.httpStatus = httpStatus
        self.reply = reply?.scrubbed(by: SecretScrubber())
    }

    /// See ``Kind/authenticationFailed``.
    public static let authenticationFailed = StreamingError(.authenticationFailed)
    /// See ``Kind/unknownModel``.
    public static let unknownModel = StreamingError(.unknownModel)
    /// See ``Kind/rateLimited``.
    public static let rateLimited = StreamingError(.rateLimited)
    /// See ``Kind/badRequest``.
    public static let badRequest = StreamingError(.badRequest)
    /// See ``Kind/upstreamError``.
    public static let upstreamError = StreamingError(.upstreamError)
    /// See ``Kind/upstreamClosedBeforeDone``.
    public static let upstreamClosedBeforeDone = StreamingError(.upstreamClosedBeforeDone)
    /// See ``Kind/timeout``.
    public static let timeout = StreamingError(.timeout)
    /// See ``Kind/protocolViolation``.
    public static let protocolViolation = StreamingError(.protocolViolation)
    /// See ``Kind/connectionFailed``.
    public static let connectionFailed = StreamingError(.connectionFailed)
    /// See ``Kind/invalidRequest``.
    public static let invalidRequest = StreamingError(.invalidRequest)

    /// Errors are equal when they are the same kind; messages are diagnostics, not identity.
    public static func == (lhs: StreamingError, rhs: StreamingError) -> Bool { lhs.kind == rhs.kind }

    /// `kind`, the HTTP status if any, and the upstream's message.
    public var description: String {
        var text = kind.description
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        if let upstreamMessage { text += ": \(upstreamMessage)" }
        return text
    }
}

extension StreamingError {
    /// Maps an HTTP error status and the upstream's message to a typed error.
    ///
    /// A 400 is only `unknownModel` when the message talks about the model, because relays use 400
    /// for every malformed request too.
    static func fromHTTP(status: Int, message: String?, reply: UpstreamReply? = nil) -> StreamingError {
        let kind: Kind
        switch status {
        case 401, 403: kind = .authenticationFailed
        case 404 where Self.mentionsModel(message): kind = .unknownModel
        case 400 where Self.mentionsModel(message): kind = .unknownModel
        case 429: kind = .rateLimited
        case 500...599: kind = .upstreamError
        default: kind = .badRequest
        }
        return StreamingError(kind, message: message ?? "HTTP \(status) without a message", httpStatus: status, reply: reply)
    }

    /// Maps an error frame's machine-readable `code` (or HTTP-like `status`) to a typed error.
    static func fromRelayErrorFrame(code: String?, status: Int?, message: String?) -> StreamingError {
        let text = message ?? "relay sent an error frame without a message"
        switch code?.lowercased() {
        case "invalid_api_key", "authentication_failed", "unauthorized", "auth_failed":
            return StreamingError(.authenticationFailed, message: text, httpStatus: status)
        case "model_not_found", "unknown_model", "invalid_model":
            return StreamingError(.unknownModel, message: text, httpStatus: status)
        case "rate_limit_exceeded", "rate_limited", "too_many_requests":
            return StreamingError(.rateLimited, message: text, httpStatus: status)
        default:
            if let status, status >= 400 { return fromHTTP(status: status, message: text) }
            return StreamingError(.upstreamError, message: text, httpStatus: status)
        }
    }

    private static func mentionsModel(_ message: String?) -> Bool {
        message?.lowercased().contains("model") ?? false
    }
}
