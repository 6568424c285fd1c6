import NIOCore

/// Hand-written JSON output for the per-chunk paths, straight into a `ByteBuffer`.
///
/// `JSONEncoder` was ~7 % of the gateway's CPU per relayed chunk, and every chunk of one stream
/// differs only in its text. Strings are escaped exactly as the gateway's `JSONEncoder`
/// (`.withoutEscapingSlashes`) does — `"` and `\` escaped, control characters as `\n`, `\t`, …
/// or `\u00XX`, everything else (non-ASCII included) left as UTF-8 — so the bytes are identical
/// (tested against `JSONEncoder`).
package enum JSONOutput {
    /// Appends `string` to `text` as a quoted JSON string, escaped by the same rules as
    /// ``writeString(_:into:)`` (for JSON built as text: prompt counting, the relay simulator).
    package static func appendString(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20: text += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// Appends `string` as a quoted, escaped JSON string.
    package static func writeString(_ string: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[runStart..<index])) }
                writeEscape(byte, into: &buffer)
                runStart = index + 1
            }
            if runStart < bytes.count { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[runStart...])) }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// A complete quoted, escaped JSON string.
    package static func string(_ string: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(string.utf8.count + 2)
        writeString(string, into: &buffer)
        return buffer
    }

    private static func writeEscape(_ byte: UInt8, into buffer: inout ByteBuffer) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x0C: buffer.writeStaticString("\\f")
        case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
        case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
        case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
        default:
            buffer.writeStaticString("\\u00")
            buffer.writeInteger(hexDigits[Int(byte >> 4)])
            buffer.writeInteger(hexDigits[Int(byte & 0x0F)])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
