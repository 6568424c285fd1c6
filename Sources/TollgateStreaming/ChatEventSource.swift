/// What runs one iteration of a `ChatEventStream`: a producer task feeding a handoff, or an HTTP
/// exchange read by callbacks on its event loop.
protocol ChatEventSource: AnyObject, Sendable {
    /// Begins the upstream request; later calls do nothing.
    func start()

    /// The next event, `nil` at the end, or the stream's error.
    func next() async throws -> ChatEvent?

    /// The consumer went away: close the upstream and wake whoever waits.
    func cancel()
}
