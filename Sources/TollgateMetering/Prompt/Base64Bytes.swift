/// Random access to the bytes a base64 text encodes, decoding only the four-character group that
/// holds the byte asked for: an image header is read from a multi-megabyte data URL in constant
/// time, without decoding (or copying) the payload.
///
/// Only valid within the closure that lent the text's storage (see ``DataURL/withPayload(_:_:)``).
struct Base64Bytes {
    private let text: UnsafeBufferPointer<UInt8>

    /// Wraps base64 text (standard or URL-safe alphabet, `=` padding optional).
    init(_ text: UnsafeBufferPointer<UInt8>) {
        self.text = text
    }

    /// Decoded length, counted from the text's length and padding (not validated).
    var count: Int {
        var length = text.count
        while length > 0, text[length - 1] == UInt8(ascii: "=") { length -= 1 }
        return length / 4 * 3 + max(0, length % 4 - 1)
    }

    /// The byte at `offset`, or nil past the end or where the text is not base64 there.
    func byte(at offset: Int) -> UInt8? {
        guard offset >= 0 else { return nil }
        let group = offset / 3 * 4
        let position = offset % 3
        guard group + position + 1 < text.count else { return nil }
        guard let high = Self.sextet(text[group + position]), let low = Self.sextet(text[group + position + 1]) else { return nil }
        switch position {
        case 0: return high << 2 | low >> 4
        case 1: return high << 4 | low >> 2
        default: return high << 6 | low
        }
    }

    /// `length` bytes from `offset`, or nil if any is missing.
    func bytes(at offset: Int, _ length: Int) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(length)
        for index in offset..<(offset + length) {
            guard let value = byte(at: index) else { return nil }
            result.append(value)
        }
        return result
    }

    /// A big-endian unsigned integer of `length` bytes at `offset`.
    func bigEndian(at offset: Int, _ length: Int) -> Int? {
        bytes(at: offset, length)?.reduce(0) { $0 << 8 | Int($1) }
    }

    /// A little-endian unsigned integer of `length` bytes at `offset`.
    func littleEndian(at offset: Int, _ length: Int) -> Int? {
        bytes(at: offset, length)?.reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    /// Whether the ASCII `tag` is at `offset`.
    func matches(_ tag: String, at offset: Int) -> Bool {
        bytes(at: offset, tag.utf8.count).map { $0.elementsEqual(tag.utf8) } ?? false
    }

    private static func sextet(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
