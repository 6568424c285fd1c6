extension RelayWebSocketClient {
    /// Which of the relay's two request shapes the client sends.
    public enum RequestShape: Sendable, Hashable {
        /// `session.start` (model, `auth.api_key`, config) followed by one `chat.message` per message.
        /// Carries a single user turn; multi-turn history needs ``chatCompletion``.
        case sessionStart
        /// One `chat.completion` frame with the whole `messages` history.
        case chatCompletion
    }

    /// Keep-alive pings while a stream is open.
    ///
    /// swift-websocket treats "no pong by the time the next ping is due" as a dead connection, so
    /// the client pings every `min(pingInterval, pongTimeout)`: a silent relay is detected no later
    /// than twice that. With the defaults (30 s, 10 s) that is a ping every 10 s.
    public struct Heartbeat: Sendable, Hashable {
        /// Time between pings.
        public var pingInterval: Duration
        /// How long a pong may take.
        public var pongTimeout: Duration

        /// Creates a heartbeat; defaults follow the relay's documented 30 s / 10 s.
        public init(pingInterval: Duration = .seconds(30), pongTimeout: Duration = .seconds(10)) {
            self.pingInterval = pingInterval
            self.pongTimeout = pongTimeout
        }

        var effectivePeriod: Duration { min(pingInterval, pongTimeout) }
    }

    /// Connection attempts before the first content byte.
    ///
    /// Only failures before any content are retried (refused connection, failed or slow handshake,
    /// connection closed before content). Once content has started a failure is reported, never
    /// replayed, because a replay would be billed a second time.
    public struct RetryPolicy: Sendable, Hashable {
        /// Total attempts including the first (1 disables retries).
        public var maxAttempts: Int
        /// Wait before the second attempt; doubled before each further attempt.
        public var initialBackoff: Duration

        /// Creates a policy; defaults follow the relay guide (3 attempts, 2 s then 4 s).
        public init(maxAttempts: Int = 3, initialBackoff: Duration = .seconds(2)) {
            self.maxAttempts = max(1, maxAttempts)
            self.initialBackoff = initialBackoff
        }

        func backoff(afterAttempt attempt: Int) -> Duration {
            initialBackoff * (1 << min(max(attempt - 1, 0), 16))
        }
    }

    /// Settings of a ``RelayWebSocketClient``; every parameter has a default.
    public struct Configuration: Sendable {
        /// Request shape sent after connecting.
        public var requestShape: RequestShape
        /// Deadline for TCP connect plus WebSocket upgrade.
        public var handshakeTimeout: Duration
        /// Deadline for the relay's first content frame once the request is sent: its time to first token.
        public var firstFrameTimeout: Duration
        /// Longest silence between the relay's frames. Pings and pongs don't count: a relay that
        /// answers pings but sends nothing fails the stream with ``StreamingError/timeout``.
        public var idleTimeout: Duration
        /// Keep-alive pings; `nil` disables them.
        public var heartbeat: Heartbeat?
        /// Attempts before the first content byte.
        public var retry: RetryPolicy
        /// Largest frame accepted from the relay, in bytes.
        public var maxFrameSize: Int
        /// Largest message (possibly fragmented) accepted from the relay, in bytes.
        public var maxMessageSize: Int
        /// Extra HTTP headers for the upgrade request (tests use `X-Sim-*`).
        public var additionalHeaders: [(name: String, value: String)]

        /// Creates a configuration.
        public init(
            requestShape: RequestShape = .chatCompletion,
            handshakeTimeout: Duration = .seconds(10),
            firstFrameTimeout: Duration = .seconds(60),
            idleTimeout: Duration = .seconds(30),
            heartbeat: Heartbeat? = Heartbeat(),
            retry: RetryPolicy = RetryPolicy(),
            maxFrameSize: Int = 1 << 16,
            maxMessageSize: Int = 1 << 20,
            additionalHeaders: [(name: String, value: String)] = []
        ) {
            self.requestShape = requestShape
            self.handshakeTimeout = handshakeTimeout
            self.firstFrameTimeout = firstFrameTimeout
            self.idleTimeout = idleTimeout
            self.heartbeat = heartbeat
            self.retry = retry
            self.maxFrameSize = maxFrameSize
            self.maxMessageSize = maxMessageSize
            self.additionalHeaders = additionalHeaders
        }
    }
}
