/// What runs one iteration of a `ChatEventStream`: a producer task feeding a handoff, or an HTTP
/// exchange read by callbacks on its event loop.
protocol ChatEventSource: AnyObject, Sendable {
    /// Begins the upstream request; later calls do nothing.
    func start()

    /// The next event, `nil` at the end, or the stream's error.
    func next() async throws -> ChatEvent?

    /// The consumer went away: close the upstream and wake whoever waits.
    func cancel()

    /// Whether the next `next()` returns an event that has already arrived and does not end the
    /// stream. A consumer uses it to send several events in one write; a `false` that could have
    /// been `true` only costs a write, a wrong `true` would hold bytes back, so it errs to `false`.
    var hasReadyEvent: Bool { get }
}

extension ChatEventSource {
    /// A producer task's handoff is not looked into: every event is written on its own.
    var hasReadyEvent: Bool { false }
}
