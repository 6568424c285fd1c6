import Foundation
import NIOCore

/// Adds Tollgate's `tollgate` receipt to an upstream JSON object without re-encoding it: every
/// byte of the upstream's object stays as it came, and the receipt becomes its last member.
enum ReceiptSplice {
    /// `payload` (a JSON object) with `"tollgate": receipt` inserted before its closing `}`.
    static func adding(_ receipt: CompletionReceipt, to payload: ByteBuffer) throws -> ByteBuffer {
        let bytes = payload.readableBytesView
        guard let closing = bytes.lastIndex(where: { !Self.isWhitespace($0) }), bytes[closing] == UInt8(ascii: "}") else {
            throw GatewayFailure("the upstream's answer is not a JSON object, so the receipt could not be added")
        }
        let previous = bytes[..<closing].lastIndex { !Self.isWhitespace($0) }
        let isEmpty = previous.map { bytes[$0] == UInt8(ascii: "{") } ?? true
        var result = ByteBuffer()
        result.reserveCapacity(payload.readableBytes + 512)
        result.writeBytes(bytes[..<closing])
        result.writeString(isEmpty ? #""tollgate":"# : #","tollgate":"#)
        receipt.write(into: &result)
        result.writeBytes(bytes[closing...])
        return result
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }
}
