import NIOCore

extension RelayServerFrame {
    /// `{"delta":{"content":…},"index":…,"type":"content_delta"}`, written by hand (``JSONOutput``):
    /// the frame sent for every relayed piece of text. Byte-for-byte what `JSONEncoder` with sorted
    /// keys gives for the same frame (tested).
    package static func contentDeltaJSON(_ content: String, index: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(content.utf8.count + 64)
        buffer.writeStaticString(#"{"delta":{"content":"#)
        JSONOutput.writeString(content, into: &buffer)
        buffer.writeStaticString(#"},"index":"#)
        buffer.writeString(String(index))
        buffer.writeStaticString(#","type":"content_delta"}"#)
        return buffer
    }

    /// `{"index":…,"type":"content_block_start"}`, the frame before a message's first delta.
    package static func contentBlockStartJSON(index: Int) -> ByteBuffer {
        var buffer = ByteBuffer(string: #"{"index":"#)
        buffer.writeString(String(index))
        buffer.writeStaticString(#","type":"content_block_start"}"#)
        return buffer
    }
}
