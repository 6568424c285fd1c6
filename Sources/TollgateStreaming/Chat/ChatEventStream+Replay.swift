extension ChatEventStream {
    /// A stream that delivers `events` from memory, then ends (or throws `error`), with the same
    /// one-event back-pressure as a network stream. For tests and benchmarks of code that consumes
    /// chat streams, without an upstream.
    public static func replaying(_ events: [ChatEvent], thenThrowing error: (any Error & Sendable)? = nil) -> ChatEventStream {
        ChatEventStream { handoff in
            for event in events { try await handoff.send(event) }
            if let error { throw error }
        }
    }
}

/// A `ChatStreamingClient` that answers every request with the same recorded events.
public struct ReplayingChatClient: ChatStreamingClient {
    /// The events every stream delivers.
    public let events: [ChatEvent]

    /// Creates a client replaying `events`.
    public init(events: [ChatEvent]) { self.events = events }

    /// A stream of the recorded events.
    public func stream(_ request: ChatRequest) -> ChatEventStream { .replaying(events) }
}
