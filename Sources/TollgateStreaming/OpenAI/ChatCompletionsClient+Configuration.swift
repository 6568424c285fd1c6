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
        /// Body bytes of a stream read ahead of its consumer before the next body part waits for
        /// it; 0 (the default) reads the next part only once the consumer has taken every event.
        ///
        /// One read of the socket often holds several body parts (a relay writes each event as its
        /// own HTTP chunk). Waiting for the consumer after each part costs two thread hand-offs per
        /// event (the consumer's wake-up, then the event loop's to read on), and a consumer that
        /// writes what it has taken (the gateway) a write per event. With read-ahead the parts of a
        /// read are queued at once and taken in one wake-up; past it, reading waits, so TCP flow
        /// control still reaches the relay and a stalled consumer holds at most this much.
        public var readAhead: Int

        /// Creates a configuration.
        public init(
            connectTimeout: Duration = .seconds(10),
            firstByteTimeout: Duration = .seconds(60),
            idleTimeout: Duration = .seconds(30),
            completionTimeout: Duration = .seconds(600),
            maxBodySize: Int = 8 << 20,
            additionalHeaders: [(name: String, value: String)] = [],
            readAhead: Int = 0
        ) {
            self.connectTimeout = connectTimeout
            self.firstByteTimeout = firstByteTimeout
            self.idleTimeout = idleTimeout
            self.completionTimeout = completionTimeout
            self.maxBodySize = maxBodySize
            self.additionalHeaders = additionalHeaders
            self.readAhead = readAhead
        }

        var shortestTimeout: Duration { min(connectTimeout, firstByteTimeout, idleTimeout) }
    }
}
