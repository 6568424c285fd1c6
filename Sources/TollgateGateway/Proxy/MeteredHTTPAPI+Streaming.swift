import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateMetering
import TollgateStorage
import TollgateStreaming

extension MeteredHTTPAPI {
    /// Streams a metered answer as server-sent events framed by `framing`. The ending — settlement
    /// on cut, failure, disconnect and shutdown — is ``MeteredStream``'s; the order of what the
    /// client is sent at each ending is this loop's, the bytes the framing's.
    func streamed(_ stream: MeteredStream, team: Team, model: String, framing: Framing, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let deadline = shutdown
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                let open = metering.metrics.openStreams(label, .sse)
                open.increment()
                defer { open.decrement() }
                try await observers.tracking(stream.admission, team: team, model: model, .sse) {
                    try await write(stream, to: &writer, framing: framing, team: team, deadline: deadline)
                }
                try await writer.finish(nil)
            }
        )
    }

    // Every value this loop keeps across an `await` lives in its task's frame for the whole stream
    // (and that memory stays with the task until it ends), so only the per-event lines are built
    // here: the rare endings are built in the framing's synchronous methods, on the thread's stack.
    private func write(
        _ stream: MeteredStream,
        to writer: inout some ResponseBodyWriter,
        framing: Framing,
        team: Team,
        deadline: ShutdownDeadline
    ) async throws {
        var events = stream.makeAsyncIterator()
        var framing = framing
        var cutoff: BudgetCutoff?
        // The lines of events that arrived together (one upstream read often carries several
        // events), written at once when no further event is at hand: a write per event cost a hop to
        // the connection's event loop and a flush (a `writev`) each, the gateway's largest per-event
        // cost. No line waits for the upstream or the ledger: see `hasReadyEvent`. The last write
        // carries the framing's closing lines.
        var batch: ByteBuffer?
        do {
            while true {
                if deadline.passed {
                    let summary = try await events.stop(.shutdown)
                    let ending = try framing.ending(metering.metrics.sent(.shuttingDown, over: label), summary: summary)
                    try await writer.write(Self.closed(Self.joined(batch, ending), with: framing.closing))
                    break
                }
                let event: MeteredEvent?
                do {
                    event = try await events.next()
                } catch {
                    // What arrived before the failure is billed; the client is told why the stream ended.
                    let summary = try? await stream.summary()
                    let ending = try framing.ending(metering.metrics.sent(.upstream(error), over: label), summary: summary)
                    try await writer.write(Self.closed(Self.joined(batch, ending), with: framing.closing))
                    break
                }
                guard let event else {
                    if let last = framing.closing.map({ Self.joined(batch, $0) }) ?? batch { try await writer.write(last) }
                    break
                }
                if let lines = try lines(for: event, framing: &framing, cutoff: &cutoff, team: team) {
                    batch = Self.joined(batch, lines)
                }
                if let lines = batch, !events.hasReadyEvent {
                    batch = nil
                    try await writer.write(lines)
                }
            }
        } catch {
            // A write failed: the client went away. Settle what it was sent now, not when the iterator dies.
            _ = try? await events.stop(.clientDisconnected)
            throw error
        }
    }

    /// What the client is sent for `event`; a cutoff is noted and reported to the observers, and
    /// its error follows the settlement.
    @inline(never)
    private func lines(for event: MeteredEvent, framing: inout Framing, cutoff: inout BudgetCutoff?, team: Team) throws -> ByteBuffer? {
        switch event {
        case .chat(let chat):
            return try framing.lines(for: chat)
        case .budgetExhausted(let cut):
            cutoff = cut
            observers.cutOff(cut, team: team)
            return nil
        case .settled(let summary):
            return try framing.settled(summary, cut: cutoff.map { metering.metrics.sent(GatewayRefusal.cutOff($0), over: label) })
        }
    }

    /// `lines` after what is already batched (no copy when nothing is).
    static func joined(_ batch: ByteBuffer?, _ lines: ByteBuffer) -> ByteBuffer {
        guard var batch else { return lines }
        batch.writeImmutableBuffer(lines)
        return batch
    }

    /// The closing lines, when there are any, after the last batch.
    private static func closed(_ batch: ByteBuffer, with closing: ByteBuffer?) -> ByteBuffer {
        guard let closing else { return batch }
        return joined(batch, closing)
    }
}
