import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateMetering
import TollgateStorage
import TollgateStreaming

/// How a Chat Completions stream is framed for its client, as OpenAI SSE: `data: {chat.completion.chunk}`
/// lines, then the usage chunk (with a `tollgate` receipt) when `stream_options.include_usage`
/// asked for it, then `data: [DONE]`. A budget cutoff or an upstream failure is an error line
/// before `[DONE]`.
///
/// From an OpenAI-compatible upstream the lines are the upstream's `data:` payloads, byte for
/// byte, as they arrive; its usage chunk is held back until settlement and sent (only to a client
/// that asked for usage) with the receipt added as its last member. A usage riding on a chunk with
/// choices (DeepSeek's last chunk) is held the same way for a client that asked, and relayed at once
/// to one that did not: its content is the client's either way. When the upstream sent no
/// usage chunk (a cut, a failure, a relay without usage), a client that asked gets a usage chunk
/// of Tollgate's own (`id` `chatcmpl-<request id>`, the billed usage). From a relay WebSocket
/// upstream the chunks are Tollgate's own (``ChunkFactory``).
struct OpenAIFraming: SSEFraming {
    let chunks: ChunkFactory
    let includeUsage: Bool
    /// The upstream's usage chunk (usage-only, or the finishing chunk carrying usage), held until settlement.
    private var usageChunk: ByteBuffer?

    init(chunks: ChunkFactory, includeUsage: Bool) {
        self.chunks = chunks
        self.includeUsage = includeUsage
    }

    var closing: ByteBuffer? { SSE.done }

    mutating func lines(for event: ChatEvent) throws -> ByteBuffer? {
        switch event {
        case .relayed(let chunk):
            // A chunk after a held one goes out after it, so the order is the upstream's (the
            // receipt then comes on a usage chunk of Tollgate's own).
            var lines: ByteBuffer?
            if includeUsage, let held = usageChunk {
                usageChunk = nil
                lines = SSE.data(held)
            }
            // The usage rides on a usage-only chunk (OpenAI) or, for a client that asked for it,
            // on the chunk that finishes (DeepSeek's last one): held until settlement to carry the
            // receipt, so no second usage chunk is made. Metering read it once, where it arrived.
            // A relay reporting usage on every chunk has only its finishing one held.
            guard !chunk.isUsageOnly, !(includeUsage && chunk.usage != nil && chunk.finishes) else {
                usageChunk = chunk.payload
                return lines
            }
            guard var joined = lines else { return SSE.data(chunk.payload) }
            joined.writeImmutableBuffer(SSE.data(chunk.payload))
            return joined
        case .contentStart:
            return chunks.delta(.init(role: .assistant, content: ""))
        case .textDelta(let text):
            return chunks.delta(.init(content: text))
        case .done(let completion):
            return completion.isRelayed ? nil : chunks.finish(completion.finishReason ?? "stop")
        case .sessionEstablished, .usage:
            return nil
        }
    }

    /// The usage chunk (if asked for) and the `budget_exceeded` error line (if cut off), or nothing.
    func settled(_ summary: MeteredSummary, cut: GatewayRefusal?) throws -> ByteBuffer? {
        var lines = ByteBuffer()
        if includeUsage { lines.writeImmutableBuffer(try usageLine(summary)) }
        if let cut { lines.writeImmutableBuffer(SSE.data(cut.body)) }
        return lines.readableBytes > 0 ? lines : nil
    }

    /// The usage chunk (if asked for and settled) and the error line.
    func ending(_ refusal: GatewayRefusal, summary: MeteredSummary?) throws -> ByteBuffer {
        var lines = ByteBuffer()
        if includeUsage, let summary {
            lines.writeImmutableBuffer(try usageLine(summary))
        } else if includeUsage, let usageChunk {
            // Unsettled: the held chunk as it came (it may carry the last content).
            lines.writeImmutableBuffer(SSE.data(usageChunk))
        }
        lines.writeImmutableBuffer(SSE.data(refusal.body))
        return lines
    }

    /// The upstream's usage chunk with the receipt added, or Tollgate's own when the upstream sent none.
    private func usageLine(_ summary: MeteredSummary) throws -> ByteBuffer {
        guard let usageChunk else { return try chunks.usage(summary) }
        return SSE.data(try ReceiptSplice.adding(CompletionReceipt(summary), to: usageChunk))
    }
}

extension GatewayRefusal {
    /// A stream cut because the gateway is stopping and its grace period ended.
    static let shuttingDown = GatewayRefusal(
        .gatewayShutdown,
        message: "the gateway is shutting down and this stream outlived its grace period: what was delivered is billed; retry the rest"
    )

    /// A stream stopped mid-way because its budget ran out (sent in-stream, so the status is
    /// informative); `scope` says whose budget, and `key` names the key when it was its own.
    static func cutOff(_ cutoff: BudgetCutoff) -> GatewayRefusal {
        var refusal = GatewayRefusal(
            .budgetExceeded,
            message: cutoff.message + ". Ask an admin to raise the budget or wait for it to reset.",
            details: [
                "delivered_output_tokens": .text(String(cutoff.deliveredOutputTokens)),
                "cutoff": .text(cutoff.cutoff.decimalString), "currency": .text(cutoff.cutoff.currency.rawValue),
                "scope": .text(cutoff.scope.name),
            ]
        )
        refusal.details["key"] = cutoff.scope.key.map { .text($0.prefix) }
        return refusal
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
