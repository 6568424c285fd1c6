import Foundation
import NIOCore
import TollgateMetering
import TollgateStreaming

/// Builds the `data: {chat.completion.chunk}` lines of one stream.
///
/// Every delta chunk of a stream is the same bytes around its text, so the parts around it are
/// encoded once per stream and each chunk only escapes its text (``JSONOutput``): Foundation's
/// `JSONEncoder` per chunk was ~7 % of the gateway's CPU per relayed chunk. The output is
/// byte-for-byte what `JSONEncoder.gateway` gives for the same ``ChatCompletionsChunk`` (sorted
/// keys, slashes unescaped; tested), so clients see no difference. The usage chunk, once per
/// stream and carrying the receipt, still goes through `JSONEncoder`.
struct ChunkFactory: Sendable {
    let id: String
    let model: String
    let created: Int
    /// `,"index":0}],"created":…,"id":…,"model":…,"object":"chat.completion.chunk"}` and the event's blank line.
    private let tail: ByteBuffer

    private static let head = ByteBuffer(string: #"data: {"choices":[{"delta":"#)

    init(id: String, model: String, created: Int) {
        self.id = id
        self.model = model
        self.created = created
        var tail = ByteBuffer(string: #","index":0}],"created":"# + String(created) + #","id":"#)
        JSONOutput.writeString(id, into: &tail)
        tail.writeStaticString(#","model":"#)
        JSONOutput.writeString(model, into: &tail)
        tail.writeStaticString(#","object":"chat.completion.chunk"}"#)
        tail.writeStaticString("\n\n")
        self.tail = tail
    }

    /// A chunk whose one choice carries `delta`.
    func delta(_ delta: ChatCompletionsChunk.Choice.Delta) -> ByteBuffer {
        var buffer = start(extra: (delta.content?.utf8.count ?? 0) + 32)
        buffer.writeInteger(UInt8(ascii: "{"))
        if let content = delta.content {
            buffer.writeStaticString(#""content":"#)
            JSONOutput.writeString(content, into: &buffer)
        }
        if let role = delta.role {
            if delta.content != nil { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeStaticString(#""role":"#)
            JSONOutput.writeString(role.rawValue, into: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "}"))
        buffer.writeImmutableBuffer(tail)
        return buffer
    }

    /// The last content chunk: an empty delta and the finish reason.
    func finish(_ reason: String) -> ByteBuffer {
        var buffer = start(extra: reason.utf8.count + 24)
        buffer.writeStaticString(#"{},"finish_reason":"#)
        JSONOutput.writeString(reason, into: &buffer)
        buffer.writeImmutableBuffer(tail)
        return buffer
    }

    /// OpenAI's usage chunk (`choices: []`), with the cost in a `tollgate` object.
    func usage(_ summary: MeteredSummary) throws -> ByteBuffer {
        let chunk = ChatCompletionsChunk(id: id, model: model, created: created, choices: [], usage: ChatCompletionsEndpoint.usage(summary))
        return SSE.data(try JSONEncoder.gateway.encode(CompletionBody(wire: chunk, tollgate: CompletionReceipt(summary))))
    }

    private func start(extra: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(Self.head.readableBytes + extra + tail.readableBytes)
        buffer.writeImmutableBuffer(Self.head)
        return buffer
    }
}
