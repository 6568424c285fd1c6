extension JSONScanner {
    /// Nesting read into a ``JSONValue``; deeper bodies go to `JSONDecoder`.
    static let maxValueDepth = 64

    /// A whole JSON object as `JSONDecoder` would decode it into `[String: JSONValue]`, or `nil`
    /// when the text holds anything the scanner does not read with certainty — then the caller
    /// decodes it with `JSONDecoder`, which gives the same value or says what is wrong.
    ///
    /// Decoding request bodies with `JSONDecoder` was ~4 % of the gateway's CPU per stream. What
    /// is left to `JSONDecoder`: text that is not valid UTF-8, a repeated key, a lone surrogate,
    /// a number with an exponent or an integral fraction (`1.0`, whose `Int64` reading is
    /// `JSONDecoder`'s to decide), an integer beyond `Int64`, nesting deeper than
    /// ``maxValueDepth``, and anything malformed.
    static func object(_ bytes: UnsafeBufferPointer<UInt8>) -> [String: JSONValue]? {
        // Valid UTF-8 outside the escapes makes every string between quotes valid too.
        guard Self.isValidUTF8(bytes) else { return nil }
        var scanner = JSONScanner(bytes)
        guard case .object(let members)? = scanner.value(depth: 0), scanner.isAtEnd() else { return nil }
        return members
    }

    /// The next value, or `nil` for anything unusual.
    mutating func value(depth: Int) -> JSONValue? {
        guard depth <= Self.maxValueDepth, let first = peek() else { return nil }
        switch first {
        case UInt8(ascii: "\""):
            return string().map(JSONValue.string)
        case UInt8(ascii: "{"):
            var members: [String: JSONValue] = [:]
            let read = object { key, scanner in
                guard members[key] == nil, let value = scanner.value(depth: depth + 1) else { return false }
                members[key] = value
                return true
            }
            return read ? .object(members) : nil
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            let read = array { scanner in
                guard let value = scanner.value(depth: depth + 1) else { return false }
                elements.append(value)
                return true
            }
            return read ? .array(elements) : nil
        case UInt8(ascii: "t"):
            return consumeKeyword("true") ? .bool(true) : nil
        case UInt8(ascii: "f"):
            return consumeKeyword("false") ? .bool(false) : nil
        case UInt8(ascii: "n"):
            return consumeNull() ? .null : nil
        default:
            if let integer = integer() { return .integer(Int64(integer)) }
            return fraction().map(JSONValue.number)
        }
    }

    private static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.contains(where: { $0 >= 0x80 }) else { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }
}
