import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateLedger
import TollgateMetering
import TollgateStreaming

extension ChatCompletionsEndpoint {
    /// Streams a metered response as OpenAI SSE: `data: {chat.completion.chunk}` lines, then the usage
    /// chunk (with a `tollgate` receipt) when `stream_options.include_usage` asked for it, then
    /// `data: [DONE]`. A budget cutoff or an upstream failure is an error line before `[DONE]`.
    ///
    /// From an OpenAI-compatible upstream the lines are the upstream's `data:` payloads, byte for
    /// byte, as they arrive; its usage chunk is held back until settlement and sent (only to a
    /// client that asked for usage) with the receipt added as its last member. When the upstream
    /// sent no usage chunk (a cut, a failure, a relay without usage), a client that asked gets a
    /// usage chunk of Tollgate's own (`id` `chatcmpl-<request id>`, the billed usage). From a relay
    /// WebSocket upstream the chunks are Tollgate's own (``ChunkFactory``).
    func streamed(_ stream: MeteredStream, team: Team, model: String, includeUsage: Bool, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let chunks = ChunkFactory(id: "chatcmpl-" + stream.admission.requestID, model: model,
                                  created: Int(stream.admission.admittedAt.timeIntervalSince1970))
        let deadline = shutdown
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let open = metering.metrics.openStreams(.chatCompletions, .sse)
            open.increment()
            defer { open.decrement() }
            try await observers.tracking(stream.admission, team: team, model: model, .sse) {
                try await write(stream, to: &writer, chunks: chunks, team: team, includeUsage: includeUsage, deadline: deadline)
            }
            try await writer.finish(nil)
        })
    }

    // Every value this loop keeps across an `await` lives in its task's frame for the whole stream
    // (and that memory stays with the task until it ends), so only the per-chunk lines are built here:
    // the rare endings are built in the synchronous helpers below, on the thread's stack.
    private func write(
        _ stream: MeteredStream, to writer: inout some ResponseBodyWriter, chunks: ChunkFactory, team: Team, includeUsage: Bool,
        deadline: ShutdownDeadline
    ) async throws {
        var events = stream.makeAsyncIterator()
        var cutoff: BudgetCutoff?
        var usageChunk: ByteBuffer?
        // The lines of events that arrived together (one upstream read often carries several
        // chunks), written at once when no further event is at hand: a write per chunk cost a hop to
        // the connection's event loop and a flush (a `writev`) each, the gateway's largest per-chunk
        // cost. No line waits for the upstream or the ledger: see `hasReadyEvent`. The last write
        // carries `data: [DONE]`.
        var batch: ByteBuffer?
        do {
            while true {
                if deadline.passed {
                    let summary = try await events.stop(.shutdown)
                    try await writer.write(Self.joined(Self.joined(batch, shutdownLines(summary, chunks: chunks, includeUsage: includeUsage, held: usageChunk)), SSE.done))
                    break
                }
                let event: MeteredEvent?
                do {
                    event = try await events.next()
                } catch {
                    // What arrived before the failure is billed; the client is told why the stream ended.
                    let summary = try? await stream.summary()
                    try await writer.write(Self.joined(Self.joined(batch, failureLines(error, summary: summary, chunks: chunks, includeUsage: includeUsage, held: usageChunk)), SSE.done))
                    break
                }
                guard let event else {
                    try await writer.write(Self.joined(batch, SSE.done))
                    break
                }
                if let lines = try lines(for: event, cutoff: &cutoff, usageChunk: &usageChunk, team: team, chunks: chunks, includeUsage: includeUsage) {
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

    /// `lines` after what is already batched (no copy when nothing is).
    static func joined(_ batch: ByteBuffer?, _ lines: ByteBuffer) -> ByteBuffer {
        guard var batch else { return lines }
        batch.writeImmutableBuffer(lines)
        return batch
    }

    /// What the client is sent for `event` (nothing for events it doesn't see); a cutoff is noted
    /// and reported to the observers, and its error line follows the settlement.
    @inline(never)
    private func lines(
        for event: MeteredEvent, cutoff: inout BudgetCutoff?, usageChunk: inout ByteBuffer?, team: Team, chunks: ChunkFactory, includeUsage: Bool
    ) throws -> ByteBuffer? {
        switch event {
        case .chat(.relayed(let chunk)):
            guard !chunk.isUsageOnly else {
                usageChunk = chunk.payload
                return nil
            }
            return SSE.data(chunk.payload)
        case .chat(.contentStart):
            return chunks.delta(.init(role: .assistant, content: ""))
        case .chat(.textDelta(let text)):
            return chunks.delta(.init(content: text))
        case .chat(.done(let completion)):
            return completion.isRelayed ? nil : chunks.finish(completion.finishReason ?? "stop")
        case .chat(.sessionEstablished), .chat(.usage):
            return nil
        case .budgetExhausted(let cut):
            cutoff = cut
            observers.cutOff(cut, team: team)
            return nil
        case .settled(let summary):
            return try settledLines(summary, cutoff: cutoff, chunks: chunks, includeUsage: includeUsage, held: usageChunk)
        }
    }

    /// The usage chunk (if asked for) and the `budget_exceeded` error line (if cut off), or nothing.
    private func settledLines(_ summary: MeteredSummary, cutoff: BudgetCutoff?, chunks: ChunkFactory, includeUsage: Bool, held: ByteBuffer?) throws -> ByteBuffer? {
        var lines = ByteBuffer()
        if includeUsage { lines.writeImmutableBuffer(try usageLine(summary, chunks: chunks, held: held)) }
        if let cutoff { lines.writeImmutableBuffer(SSE.data(metering.metrics.sent(GatewayRefusal.cutOff(cutoff), over: .chatCompletions).body)) }
        return lines.readableBytes > 0 ? lines : nil
    }

    /// The usage chunk (if asked for) and the `gateway_shutdown` error line of a stream cut by shutdown.
    @inline(never)
    private func shutdownLines(_ summary: MeteredSummary, chunks: ChunkFactory, includeUsage: Bool, held: ByteBuffer?) throws -> ByteBuffer {
        var lines = includeUsage ? try usageLine(summary, chunks: chunks, held: held) : ByteBuffer()
        lines.writeImmutableBuffer(SSE.data(metering.metrics.sent(GatewayRefusal.shuttingDown, over: .chatCompletions).body))
        return lines
    }

    /// The usage chunk (if asked for and settled) and the error line of a stream the upstream broke off.
    @inline(never)
    private func failureLines(_ error: any Error, summary: MeteredSummary?, chunks: ChunkFactory, includeUsage: Bool, held: ByteBuffer?) throws -> ByteBuffer {
        var lines = ByteBuffer()
        if includeUsage, let summary { lines.writeImmutableBuffer(try usageLine(summary, chunks: chunks, held: held)) }
        lines.writeImmutableBuffer(SSE.data(metering.metrics.sent(GatewayRefusal.upstream(error), over: .chatCompletions).body))
        return lines
    }
}

extension ChatCompletionsEndpoint {
    /// The upstream's usage chunk with the receipt added, or Tollgate's own when the upstream sent none.
    func usageLine(_ summary: MeteredSummary, chunks: ChunkFactory, held: ByteBuffer?) throws -> ByteBuffer {
        guard let held else { return try chunks.usage(summary) }
        return SSE.data(try ReceiptSplice.adding(CompletionReceipt(summary), to: held))
    }
}

extension GatewayRefusal {
    /// A stream cut because the gateway is stopping and its grace period ended.
    static let shuttingDown = GatewayRefusal(
        status: .serviceUnavailable, code: "gateway_shutdown", type: "api_error",
        message: "the gateway is shutting down and this stream outlived its grace period: what was delivered is billed; retry the rest"
    )

    /// A stream stopped mid-way because its budget ran out (sent in-stream, so the status is informative).
    static func cutOff(_ cutoff: BudgetCutoff) -> GatewayRefusal {
        GatewayRefusal(
            status: .init(code: 402), code: "budget_exceeded", type: "insufficient_quota",
            message: cutoff.message + ". Ask an admin to raise the budget or wait for it to reset.",
            details: [
                "delivered_output_tokens": .text(String(cutoff.deliveredOutputTokens)),
                "cutoff": .text(cutoff.cutoff.decimalString), "currency": .text(cutoff.cutoff.currency.rawValue),
            ]
        )
    }
}

/// Server-sent event framing.
enum SSE {
    static func data(_ payload: Data) -> ByteBuffer {
        var buffer = ByteBuffer(string: "data: ")
        buffer.writeBytes(payload)
        buffer.writeString("\n\n")
        return buffer
    }

    /// One upstream payload, framed as it came: `data: `, its bytes, a blank line.
    static func data(_ payload: ByteBuffer) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(payload.readableBytes + 8)
        buffer.writeStaticString("data: ")
        buffer.writeImmutableBuffer(payload)
        buffer.writeStaticString("\n\n")
        return buffer
    }

    static let done = ByteBuffer(string: "data: [DONE]\n\n")
}
