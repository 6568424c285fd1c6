/// A forward-only reader of JSON text for the per-chunk fast paths (upstream chunks and frames).
///
/// It is deliberately partial: every method returns `nil` (or `false`) for anything it does not
/// read with certainty — an escape it does not handle, a non-integer where an integer is wanted, a
/// lone surrogate, nesting deeper than ``maxDepth`` — and the caller then hands the whole text to
/// `JSONDecoder`, which either decodes it or says what is wrong. So the scanner never has to be
/// a full JSON implementation, only never wrong when it does answer.
struct JSONScanner {
    /// Nesting allowed inside a skipped value; deeper values go to `JSONDecoder`.
    static let maxDepth = 32

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// Where the next read starts (after any whitespace not yet skipped): request-body edits splice at it.
    var offset: Int {
        mutating get {
            skipWhitespace()
            return position
        }
    }

    /// True when only whitespace is left.
    mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }

    /// Consumes `byte` (after whitespace) when it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Consumes a `null` literal when it is next.
    mutating func consumeNull() -> Bool {
        skipWhitespace()
        return consumeLiteral("null")
    }

    /// Reads an object member's key and its colon; `nil` on anything unusual. Call after `{` or `,`.
    mutating func key() -> String? {
        guard let key = string() else { return nil }
        guard consume(UInt8(ascii: ":")) else { return nil }
        return key
    }

    /// After a member's value: `true` for `,` (another member follows), `false` for the closing
    /// `closer`; `nil` for anything else.
    mutating func next(closing closer: UInt8) -> Bool? {
        if consume(UInt8(ascii: ",")) { return true }
        if consume(closer) { return false }
        return nil
    }

    /// A string value, or `nil` (also for `null`, which callers check first with ``consumeNull()``).
    mutating func string() -> String? {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        let start = position + 1
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                position = index
                return escapedString(from: start)
            }
            if byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// An integer written without fraction or exponent that fits `Int`; otherwise `nil`.
    mutating func integer() -> Int? {
        skipWhitespace()
        var index = position
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digitsStart = index
        var value = 0
        while index < bytes.count, let digit = Self.digit(bytes[index]) {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (added, overflowB) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { return nil }
            value = added
            index += 1
        }
        let digitCount = index - digitsStart
        guard digitCount > 0, digitCount == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            return nil
        }
        position = index
        return value
    }

    /// A number with a fraction and no exponent whose value is not integral, as the `Double`
    /// `JSONDecoder` reads it (both round correctly); `nil` for anything else. An integral value
    /// (`1.0`, or `2.9999999999999999999`, which rounds to 3) is left to `JSONDecoder`, which may
    /// read it as an `Int64`.
    mutating func fraction() -> Double? {
        skipWhitespace()
        var index = position
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        while index < bytes.count, Self.digit(bytes[index]) != nil { index += 1 }
        let integerDigits = index - integerStart
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { return nil }
        guard index < bytes.count, bytes[index] == UInt8(ascii: ".") else { return nil }
        index += 1
        let fractionStart = index
        while index < bytes.count, Self.digit(bytes[index]) != nil { index += 1 }
        guard index > fractionStart else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") { return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite, value.rounded(.towardZero) != value else { return nil }
        position = index
        return value
    }

    /// The next byte after any whitespace, not consumed; `nil` at the end.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    /// Consumes `literal` (`true`, `false`) when it is next.
    mutating func consumeKeyword(_ literal: StaticString) -> Bool {
        skipWhitespace()
        return consumeLiteral(literal)
    }

    /// Skips any well-formed JSON value; `false` when it is malformed or nested too deeply.
    mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth <= Self.maxDepth else { return false }
        skipWhitespace()
        guard position < bytes.count else { return false }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            return string() != nil
        case UInt8(ascii: "{"):
            position += 1
            if consume(UInt8(ascii: "}")) { return true }
            repeat {
                guard key() != nil, skipValue(depth: depth + 1) else { return false }
                guard let more = next(closing: UInt8(ascii: "}")) else { return false }
                if !more { return true }
            } while true
        case UInt8(ascii: "["):
            position += 1
            if consume(UInt8(ascii: "]")) { return true }
            repeat {
                guard skipValue(depth: depth + 1) else { return false }
                guard let more = next(closing: UInt8(ascii: "]")) else { return false }
                if !more { return true }
            } while true
        case UInt8(ascii: "t"):
            return consumeLiteral("true")
        case UInt8(ascii: "f"):
            return consumeLiteral("false")
        case UInt8(ascii: "n"):
            return consumeLiteral("null")
        default:
            return skipNumber()
        }
    }

    // MARK: - Pieces

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
            default: return
            }
        }
    }

    private mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        for offset in 0..<count where bytes[position + offset] != literal.utf8Start[offset] { return false }
        position += count
        return true
    }

    /// Grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func skipNumber() -> Bool {
        var index = position
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        while index < bytes.count, Self.digit(bytes[index]) != nil { index += 1 }
        let integerDigits = index - integerStart
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < bytes.count, Self.digit(bytes[index]) != nil { index += 1 }
            guard index > fractionStart else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let exponentStart = index
            while index < bytes.count, Self.digit(bytes[index]) != nil { index += 1 }
            guard index > exponentStart else { return false }
        }
        position = index
        return true
    }

    /// The slow half of ``string()``: decodes escapes into a byte buffer. `position` is at the first `\`.
    private mutating func escapedString(from start: Int) -> String? {
        var decoded = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        var index = position
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                position = index + 1
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { return nil }
                index += 1
                switch bytes[index] {
                case UInt8(ascii: "\""): decoded.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): decoded.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): decoded.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "r"): decoded.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "t"): decoded.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape(at: &index) else { return nil }
                    decoded.append(contentsOf: String(Character(scalar)).utf8)
                    continue
                default:
                    return nil
                }
                index += 1
            default:
                guard byte >= 0x20 else { return nil }
                decoded.append(byte)
                index += 1
            }
        }
        return nil
    }

    /// Reads `uXXXX` (and a following `\uXXXX` low surrogate) with `index` at the `u`; leaves
    /// `index` after the escape. Lone surrogates are `nil`: `JSONDecoder` decides what they mean.
    private func unicodeEscape(at index: inout Int) -> Unicode.Scalar? {
        guard let high = hex4(at: index + 1) else { return nil }
        index += 5
        if (0xD800...0xDBFF).contains(high) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                let low = hex4(at: index + 2), (0xDC00...0xDFFF).contains(low)
            else { return nil }
            index += 6
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }
        return Unicode.Scalar(high)
    }

    private func hex4(at index: Int) -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(nibble)
        }
        return value
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}

extension JSONScanner {
    /// Runs `scan` over the text's UTF-8 bytes; `nil` when the scan gave up (or the string is not
    /// contiguous, which native Swift strings always are).
    static func scan<Value>(_ text: String, _ scan: (inout JSONScanner) -> Value?) -> Value? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> Value? in
            var scanner = JSONScanner(bytes)
            guard let value = scan(&scanner), scanner.isAtEnd() else { return nil }
            return value
        } ?? nil
    }

    /// Reads an object's members, calling `member` with each key; `false` if anything was unusual
    /// (including `member` returning `false`). The scanner must be at the `{`.
    mutating func object(_ member: (String, inout JSONScanner) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = key(), member(key, &self) else { return false }
            guard let more = next(closing: UInt8(ascii: "}")) else { return false }
            if !more { return true }
        } while true
    }

    /// Reads an array's elements with `element`; `false` if anything was unusual.
    mutating func array(_ element: (inout JSONScanner) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
            guard let more = next(closing: UInt8(ascii: "]")) else { return false }
            if !more { return true }
        } while true
    }

    /// Marks the member `bit` as read; `false` when it was already (a repeated key: `JSONDecoder` decides).
    static func firstTime(_ bit: UInt32, _ seen: inout UInt32) -> Bool {
        guard seen & (1 << bit) == 0 else { return false }
        seen |= 1 << bit
        return true
    }

    /// A string or `null` into `field`; `false` for any other value.
    mutating func optionalString(into field: inout String?) -> Bool {
        if consumeNull() { return true }
        guard let value = string() else { return false }
        field = value
        return true
    }

    /// An integer or `null` into `field`; `false` for any other value.
    mutating func optionalInteger(into field: inout Int?) -> Bool {
        if consumeNull() { return true }
        guard let value = integer() else { return false }
        field = value
        return true
    }
}
