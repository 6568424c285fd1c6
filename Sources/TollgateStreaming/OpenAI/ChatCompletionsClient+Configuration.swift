extension ChatCompletionsClient {
    /// Deadlines and headers of a ``ChatCompletionsClient``; every parameter has a default.
    public struct Configuration: Sendable {
        /// Deadline for connecting and sending the request. Missing it is reported as
        /// ``StreamingError/connectionFailed``: the upstream never had the request. (The injected
        /// `HTTPClient`'s own connect timeout also applies.) Once a streamed request is sent, its
        /// response head must come within ``firstByteTimeout`` (else ``StreamingError/timeout``).
        public var connectTimeout: Duration
        /// Deadline for the first body bytes after the head: the relay's time to first token.
        public var firstByteTimeout: Duration
        /// Longest silence between body chunks once streaming.
        public var idleTimeout: Duration
        /// Deadline for a non-streamed answer's response head once the request is sent (else
        /// ``StreamingError/timeout``). An upstream sends that head only after generating the whole
        /// answer, so it is far longer than ``firstByteTimeout``.
        public var completionTimeout: Duration
        /// Largest error or non-streaming body read, in bytes.
        public var maxBodySize: Int
        /// Extra request headers (tests use `X-Sim-*`).
        public var additionalHeaders: [(name: String, value: String)]

        /// Creates a configuration.
        public init(
            connectTimeout: Duration = .seconds(10),
            firstByteTimeout: Duration = .seconds(60),
            idleTimeout: Duration = .seconds(30),
            completionTimeout: Duration = .seconds(600),
            maxBodySize: Int = 8 << 20,
            additionalHeaders: [(name: String, value: String)] = []
        ) {
            self.connectTimeout = connectTimeout
            self.firstByteTimeout = firstByteTimeout
            self.idleTimeout = idleTimeout
            self.completionTimeout = completionTimeout
            self.maxBodySize = maxBodySize
            self.additionalHeaders = additionalHeaders
        }

        var shortestTimeout: Duration { min(connectTimeout, firstByteTimeout, idleTimeout) }
    }
}
