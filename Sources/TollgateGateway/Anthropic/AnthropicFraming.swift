import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TollgateMetering
import TollgateStorage
import TollgateStreaming

/// How a Messages stream is framed for its client, as Anthropic SSE: every upstream event
/// (`event:` and `data:`) as it came, in order, `ping` and unknown events included.
///
/// The one addition is the `tollgate` receipt, the last member of the final `message_delta`'s
/// JSON (the SDKs keep unknown fields): that event, and whatever follows it (`message_stop`),
/// is held until the stream is settled. A stream Tollgate ends itself (budget cut, shutdown,
/// upstream failure) ends with an `event: error` in Anthropic's shape after what was
/// delivered, the receipt beside its `error` object when the stream was settled.
struct AnthropicFraming: SSEFraming {
    private var heldDelta: ByteBuffer?
    private var heldAfter = ByteBuffer()
    /// Whether the receipt already went out in `message_delta` (then an error event carries none).
    private var heldDeltaSent = false

    /// Nothing follows the last event.
    var closing: ByteBuffer? { nil }

    /// A relayed event's lines now, or nil while the final `message_delta` is held (and for the
    /// chat's other events, which a Messages client does not see).
    mutating func lines(for event: ChatEvent) -> ByteBuffer? {
        guard case .relayed(let chunk) = event else { return nil }
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
