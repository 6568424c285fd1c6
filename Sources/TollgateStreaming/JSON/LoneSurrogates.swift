/// Escaped lone UTF-16 surrogates in JSON text: `"\ud800"` with no low half after it, or a low half
/// (`\udc00`…`\udfff`) with no high half before it.
///
/// RFC 8259 allows them (its grammar is any `\uXXXX`), Python's `json.dumps` writes one for a `str`
/// holding a lone surrogate, and OpenAI-compatible upstreams accept them; but `JSONDecoder` refuses
/// them and a Swift `String` cannot hold one. Tollgate forwards the client's bytes, so only its own
/// reading needs a stand-in: each lone escape becomes `\ufffd` (U+FFFD, the replacement character
/// a decoder substitutes), six bytes for six, so every offset in the copy is the original's.
package enum LoneSurrogates {
    /// `bytes` with every lone surrogate escape inside a string replaced by `\ufffd`, or `nil`
    /// when there is none (then the text is refused, or read, for another reason).
    package static func replaced(in bytes: [UInt8]) -> [UInt8]? {
        var copy = bytes
        var changed = false
        var index = 0
        var inString = false
        let quote = UInt8(ascii: "\"")
        let backslash = UInt8(ascii: "\\")
        while index < copy.count {
            let byte = copy[index]
            guard inString else {
                if byte == quote { inString = true }
                index += 1
                continue
            }
            if byte == quote {
                inString = false
                index += 1
            } else if byte != backslash {
                index += 1
            } else if let code = unit(in: copy, at: index) {
                if (0xD800...0xDBFF).contains(code), let low = unit(in: copy, at: index + 6), (0xDC00...0xDFFF).contains(low) {
                    index += 12
                } else if (0xD800...0xDFFF).contains(code) {
                    copy.replaceSubrange(index..<index + 6, with: replacement)
                    changed = true
                    index += 6
                } else {
                    index += 6
                }
            } else {
                index += 2
            }
        }
        return changed ? copy : nil
    }

    private static let replacement = Array(#"\ufffd"#.utf8)

    /// The code unit of a `\uXXXX` escape starting at `index`, if one is there.
    private static func unit(in bytes: [UInt8], at index: Int) -> Int? {
        guard index + 5 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return nil }
        var value = 0
        for byte in bytes[index + 2...index + 5] {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value * 16 + Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value * 16 + Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = value * 16 + Int(byte - UInt8(ascii: "A")) + 10
            default: return nil
            }
        }
        return value
    }
}
