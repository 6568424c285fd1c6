/// A forward-only reader over the bytes of a `tokenizer.json`, for the two big members Foundation's
/// `JSONSerialization` spends ~300 ms on (`model.vocab`, `model.merges`): it skips what it does not
/// need and decodes strings into a reused buffer, so DeepSeek-V3's 128k-entry vocabulary loads in
/// milliseconds. Strict about structure: anything that is not JSON is an error with its offset.
struct VocabularyJSONReader {
    /// Why the bytes are not the JSON expected, with the byte offset.
    struct Failure: Error {
        let reason: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    /// Offset of the next unread byte.
    private(set) var position: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, from position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    private func fail(_ reason: String) -> Failure {
        Failure(reason: "\(reason) at byte \(position)")
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The next non-whitespace byte, not consumed; nil at the end.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func expect(_ byte: UInt8) throws(Failure) {
        guard peek() == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        position += 1
    }

    /// Calls `body` with each member's decoded key, positioned at its value; `body` must consume
    /// the value (read it or `skipValue()`).
    mutating func forEachMember(_ body: (inout VocabularyJSONReader, [UInt8]) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        var key: [UInt8] = []
        while true {
            try readString(into: &key)
            try expect(UInt8(ascii: ":"))
            try body(&self, key)
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return
            default: throw fail("expected ',' or '}' in an object")
            }
        }
    }

    /// Calls `body` positioned at each element of an array; `body` must consume the element.
    mutating func forEachElement(_ body: (inout VocabularyJSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            try body(&self)
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return
            default: throw fail("expected ',' or ']' in an array")
            }
        }
    }

    /// Consumes `open` (`{` or `[`); false if the container is empty (its close consumed too).
    /// The loop form of ``forEachMember(_:)`` / ``forEachElement(_:)`` for hot loops, where a
    /// closure's captured variables would cost a dynamic exclusivity check on every access.
    mutating func enter(_ open: UInt8) throws(Failure) -> Bool {
        try expect(open)
        let close = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
        if peek() == close {
            position += 1
            return false
        }
        return true
    }

    /// After a member or element: true if another follows (its `,` consumed), false at the close.
    mutating func next(closing close: UInt8) throws(Failure) -> Bool {
        switch peek() {
        case UInt8(ascii: ","):
            position += 1
            return true
        case close:
            position += 1
            return false
        default: throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))'")
        }
    }

    /// Decodes a string value into `output` (UTF-8, escapes resolved).
    mutating func readString(into output: inout [UInt8]) throws(Failure) {
        output.removeAll(keepingCapacity: true)
        try expect(UInt8(ascii: "\""))
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return
            case UInt8(ascii: "\\"): try readEscape(into: &output)
            case 0..<0x20: throw fail("control character in a string")
            default: output.append(byte)
            }
        }
        throw fail("unterminated string")
    }

    private mutating func readEscape(into output: inout [UInt8]) throws(Failure) {
        guard position < bytes.count else { throw fail("unterminated escape") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw fail("unpaired surrogate")
                }
                position += 2
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw fail("unpaired surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
            output.append(contentsOf: UTF8.encode(unicode)!)
        default: throw fail("invalid escape")
        }
    }

    private mutating func readHex4() throws(Failure) -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Reads an integer value; nil (consumed) if the value is a JSON number that is not a
    /// non-negative integer within `UInt32`, or not a number at all (then not consumed: skip it).
    mutating func readNonNegativeInteger() -> UInt32? {
        guard let first = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return nil }
        var value: UInt64 = 0
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            value = value * 10 + UInt64(bytes[position] - UInt8(ascii: "0"))
            position += 1
            if value > UInt64(UInt32.max) { return nil }
        }
        if position < bytes.count, Self.isNumberByte(bytes[position]) { return nil }
        return UInt32(value)
    }

    /// Skips one value of any kind, checking its structure.
    mutating func skipValue() throws {
        guard let first = peek() else { throw fail("expected a value") }
        switch first {
        case UInt8(ascii: "{"): try forEachMember { reader, _ in try reader.skipValue() }
        case UInt8(ascii: "["): try forEachElement { reader in try reader.skipValue() }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            position += 1
            while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
        default:
            for literal in ["true", "false", "null"] where matches(literal) {
                position += literal.utf8.count
                return
            }
            throw fail("unexpected '\(Character(Unicode.Scalar(first)))'")
        }
    }

    /// Skips a string without decoding it (escapes are stepped over, not checked).
    private mutating func skipString() throws(Failure) {
        position += 1
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                position += 1
                return
            case UInt8(ascii: "\\"): position += 2
            case 0..<0x20: throw fail("control character in a string")
            default: position += 1
            }
        }
        throw fail("unterminated string")
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default: false
        }
    }

    private func matches(_ literal: String) -> Bool {
        let count = literal.utf8.count
        guard position + count <= bytes.count else { return false }
        return zip(literal.utf8, bytes[position..<position + count]).allSatisfy { $0 == $1 }
    }
}
