#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns relay WebSocket frames into ``ChatEvent``s: a pure state machine, tested without I/O.
///
/// It normalises the event sequence (a missing `session_established` or `content_block_start` is
/// synthesised) so consumers always see the same shape from every relay and transport.
package struct RelayStreamInterpreter {
    /// What the connection owner should do after a frame.
    package enum Step: Equatable {
        /// Deliver these events and keep reading.
        case deliver([ChatEvent])
        /// Deliver these events; the message is complete, close with 1000.
        case finish([ChatEvent])
        /// Stop with this error.
        case fail(StreamingError)
    }

    private enum Phase {
        case awaitingSession
        case sessionOpen
        case streamingContent
        case done
    }

    private var phase = Phase.awaitingSession
    /// Session events are delivered once per stream even when a retry opens a new connection.
    private var sessionDelivered: Bool
    private(set) var ignoredEventCount = 0
    private(set) var deliveredTextBytes = 0
    private let decoder = JSONDecoder()

    package init(sessionAlreadyDelivered: Bool = false) {
        self.sessionDelivered = sessionAlreadyDelivered
    }

    /// True once content has started: from here on the stream must never be replayed.
    var contentStarted: Bool { phase == .streamingContent || phase == .done }
    /// True once `session_established` (or its synthesised equivalent) has been delivered.
    var sessionWasDelivered: Bool { sessionDelivered }

    package mutating func receive(text: String) -> Step {
        let frame: RelayServerFrame
        do {
            frame = try RelayServerFrame.decode(text, decoder: decoder)
        } catch {
            return .fail(StreamingError(.protocolViolation, message: "relay sent a frame that is not a valid event: \(Self.excerpt(text))"))
        }
        return receive(frame)
    }

    package mutating func receive(_ frame: RelayServerFrame) -> Step {
        guard phase != .done else { return .deliver([]) }
        switch frame.type {
        case RelayServerFrame.sessionEstablishedType:
            return .deliver(sessionEvents(id: frame.sessionID))
        case RelayServerFrame.contentBlockStartType:
            return .deliver(contentStartEvents())
        case RelayServerFrame.contentDeltaType:
            guard let delta = frame.delta else {
                return .fail(StreamingError(.protocolViolation, message: "content_delta frame without a delta object"))
            }
            var events = contentStartEvents()
            if let content = delta.content, !content.isEmpty {
                deliveredTextBytes += content.utf8.count
                events.append(.textDelta(content))
            }
            return .deliver(events)
        case RelayServerFrame.messageDoneType:
            var events = contentStartEvents()
            if let usage = frame.usage {
                events.append(
                    .usage(UpstreamUsage(inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, isWholeNumbers: usage.isWholeNumbers))
                )
            }
            events.append(.done(StreamCompletion(finishReason: frame.finishReason, ignoredEventCount: ignoredEventCount)))
            phase = .done
            return .finish(events)
        case RelayServerFrame.errorType:
            return .fail(.fromRelayErrorFrame(code: frame.code, status: frame.status, message: frame.message))
        default:
            ignoredEventCount += 1
            return .deliver([])
        }
    }

    /// The error for a connection that ended without `message_done`.
    func endedWithoutDone() -> StreamingError {
        StreamingError(
            .upstreamClosedBeforeDone,
            message: "the relay closed the stream before message_done after \(deliveredTextBytes) bytes of text; "
                + "the response is incomplete and was not retried (a replay could be billed twice)"
        )
    }

    private mutating func sessionEvents(id: String?) -> [ChatEvent] {
        if phase == .awaitingSession { phase = .sessionOpen }
        guard !sessionDelivered else { return [] }
        sessionDelivered = true
        return [.sessionEstablished(id: id)]
    }

    private mutating func contentStartEvents() -> [ChatEvent] {
        guard phase != .streamingContent else { return [] }
        var events = sessionEvents(id: nil)
        phase = .streamingContent
        events.append(.contentStart)
        return events
    }

    private static func excerpt(_ text: String) -> String {
        let limit = 120
        return text.count <= limit ? "'\(text)'" : "'\(text.prefix(limit))…' (\(text.utf8.count) bytes)"
    }
}
