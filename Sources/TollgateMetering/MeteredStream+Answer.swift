import TollgateStreaming

extension MeteredStream {
    /// This stream started upstream and read up to the upstream's first output (or its end), so a
    /// gateway learns how the upstream answered before it writes its own response head: an
    /// upstream that refused (a non-2xx status, an error frame), could not be reached, timed out
    /// or sent garbage throws here, with nothing sent to the client yet, and the stream is already
    /// settled (at zero cost when ``StreamOutcome/billsNothing``). The events read are handed out
    /// again by the first iteration of the returned stream; iterate it once.
    public func answered() async throws -> MeteredStream {
        let stream = started == nil ? startingUpstream() : self
        guard let run = stream.started?.take() else { return stream }
        var looked: [MeteredEvent] = []
        while true {
            let event = try await run.next()
            guard let event else { break }
            looked.append(event)
            if case .chat(.sessionEstablished) = event { continue }
            break
        }
        for event in looked.reversed() { run.putBack(event) }
        var answered = stream
        answered.started = StartedRun(run)
        return answered
    }
}
