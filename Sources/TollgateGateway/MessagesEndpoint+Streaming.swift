import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateLedger
import TollgateMetering
import TollgateStreaming

extension MessagesEndpoint {
    /// Streams a metered answer as Anthropic SSE: every upstream event (`event:` and `data:`) as
    /// it came, in order, `ping` and unknown events included.
    ///
    /// The one addition is the `tollgate` receipt, the last member of the final `message_delta`'s
    /// JSON (the SDKs keep unknown fields): that event, and whatever follows it (`message_stop`),
    /// is held until the stream is settled. A stream Tollgate ends itself (budget cut, shutdown,
    /// upstream failure) ends with an `event: error` in Anthropic's shape after what was
    /// delivered, the receipt beside its `error` object when the stream was settled.
    /// The ending itself — settlement on cut, failure, disconnect and shutdown — is
    /// ``MeteredStream``'s, the same as for Chat Completions.
    func streamed(_ stream: MeteredStream, team: Team, model: String, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let deadline = shutdown
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let open = metering.metrics.openStreams(.messages, .sse)
            open.increment()
            defer { open.decrement() }
            try await observers.tracking(stream.admission, team: team, model: model, .sse) {
                try await write(stream, to: &writer, team: team, deadline: deadline)
            }
            try await writer.finish(nil)
        })
    }

    // As on the OpenAI path (see ChatCompletionsEndpoint's `write`): the lines of events already at
    // hand go out in one write, never waiting for the upstream or the ledger (`hasReadyEvent`). A
    // write per event cost a hop to the connection's event loop and a `writev` each, and a Messages
    // stream has more events per token than a Chat Completions one.
    private func write(_ stream: MeteredStream, to writer: inout some ResponseBodyWriter, team: Team, deadline: ShutdownDeadline) async throws {
        var events = stream.makeAsyncIterator()
        var framing = AnthropicFraming()
        var batch: ByteBuffer?
        do {
            while true {
                if deadline.passed {
                    let summary = try await events.stop(.shutdown)
                    try await writer.write(ChatCompletionsEndpoint.joined(batch, framing.ending(metering.metrics.sent(.shuttingDown, over: .messages), summary: summary)))
                    break
                }
                let event: MeteredEvent?
                do {
                    event = try await events.next()
                } catch {
                    let summary = try? await stream.summary()
                    try await writer.write(ChatCompletionsEndpoint.joined(batch, framing.ending(metering.metrics.sent(.upstream(error), over: .messages), summary: summary)))
                    break
                }
                guard let event else {
                    if let lines = batch { try await writer.write(lines) }
                    break
                }
                if let lines = try lines(for: event, framing: &framing, team: team) { batch = ChatCompletionsEndpoint.joined(batch, lines) }
                if let lines = batch, !events.hasReadyEvent {
                    batch = nil
                    try await writer.write(lines)
                }
            }
        } catch {
            _ = try? await events.stop(.clientDisconnected)
            throw error
        }
    }

    @inline(never)
    private func lines(for event: MeteredEvent, framing: inout AnthropicFraming, team: Team) throws -> ByteBuffer? {
        switch event {
        case .chat(.relayed(let chunk)):
            return framing.relay(chunk)
        case .chat:
            return nil
        case .budgetExhausted(let cut):
            framing.cutoff = cut
            observers.cutOff(cut, team: team)
            return nil
        case .settled(let summary):
            let cut = framing.cutoff.map { metering.metrics.sent(GatewayRefusal.cutOff($0), over: .messages) }
            return try framing.settled(summary, cut: cut)
        }
    }
}

/// What the Anthropic stream writer holds between events: the final `message_delta` (and what
/// follows it) until the receipt is known, and the cutoff to report.
struct AnthropicFraming {
    var cutoff: BudgetCutoff?
    private var heldDelta: ByteBuffer?
    private var heldAfter = ByteBuffer()
    /// Whether the receipt already went out in `message_delta` (then an error event carries none).
    private var heldDeltaSent = false

    /// The event's lines now, or nil while the final `message_delta` is held.
    mutating func relay(_ chunk: RelayedChunk) -> ByteBuffer? {
        if heldDelta != nil {
            heldAfter.writeImmutableBuffer(Self.frame(chunk.event, chunk.payload))
            return nil
        }
        if chunk.event == "message_delta" {
            heldDelta = chunk.payload
            return nil
        }
        return Self.frame(chunk.event, chunk.payload)
    }

    /// After settlement: the held `message_delta` with the receipt, what followed it, and the
    /// budget cut's `error` event.
    mutating func settled(_ summary: MeteredSummary, cut: GatewayRefusal?) throws -> ByteBuffer? {
        var lines = try held(receipt: CompletionReceipt(summary))
        if let cut { lines.writeImmutableBuffer(try Self.errorEvent(cut, receipt: lines.readableBytes == 0 ? CompletionReceipt(summary) : nil)) }
        return lines.readableBytes > 0 ? lines : nil
    }

    /// A stream Tollgate ends itself: what was held, then the `error` event.
    mutating func ending(_ refusal: GatewayRefusal, summary: MeteredSummary?) throws -> ByteBuffer {
        var lines = try held(receipt: summary.map(CompletionReceipt.init))
        lines.writeImmutableBuffer(try Self.errorEvent(refusal, receipt: heldDeltaSent ? nil : summary.map(CompletionReceipt.init)))
        return lines
    }


    private mutating func held(receipt: CompletionReceipt?) throws -> ByteBuffer {
        var lines = ByteBuffer()
        if let delta = heldDelta {
            let payload = try receipt.map { try ReceiptSplice.adding($0, to: delta) } ?? delta
            lines.writeImmutableBuffer(Self.frame("message_delta", payload))
            heldDelta = nil
            heldDeltaSent = true
        }
        lines.writeImmutableBuffer(heldAfter)
        heldAfter.clear()
        return lines
    }

    /// `event: error` with Anthropic's error JSON, the receipt beside `error` when given.
    static func errorEvent(_ refusal: GatewayRefusal, receipt: CompletionReceipt?) throws -> ByteBuffer {
        var payload = ByteBuffer(bytes: refusal.anthropicBody)
        if let receipt { payload = try ReceiptSplice.adding(receipt, to: payload) }
        return frame("error", payload)
    }

    /// One event framed as Anthropic sends it: `event: NAME`, `data: PAYLOAD`, a blank line.
    static func frame(_ event: String?, _ payload: ByteBuffer) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(payload.readableBytes + (event?.utf8.count ?? 0) + 16)
        if let event {
            buffer.writeStaticString("event: ")
            buffer.writeString(event)
            buffer.writeStaticString("\n")
        }
        buffer.writeStaticString("data: ")
        buffer.writeImmutableBuffer(payload)
        buffer.writeStaticString("\n\n")
        return buffer
    }
}
