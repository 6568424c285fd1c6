/// The members of one JSON object with the byte ranges of their values, so a body can be edited
/// in place: a splice changes one value and leaves every other byte as the client wrote it.
struct JSONMembers {
    /// One member: its key and where its value's bytes are.
    struct Member {
        let key: String
        let value: Range<Int>
    }

    /// Bytes that replace a range (an empty range inserts).
    struct Edit {
        let range: Range<Int>
        let replacement: [UInt8]
    }

    let members: [Member]
    /// The offset of the object's closing `}`.
    let closing: Int

    /// The object starting at `start` (after whitespace), or `nil` when it is not a well-formed object.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> JSONMembers? {
        var scanner = JSONScanner(bytes, at: start)
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var members: [Member] = []
        let empty = scanner.offset
        if scanner.consume(UInt8(ascii: "}")) { return JSONMembers(members: [], closing: empty) }
        while true {
            guard let key = scanner.key() else { return nil }
            let from = scanner.offset
            guard let end = skip(bytes, from: from) else { return nil }
            members.append(Member(key: key, value: from..<end))
            scanner = JSONScanner(bytes, at: end)
            let closing = scanner.offset
            guard let more = scanner.next(closing: UInt8(ascii: "}")) else { return nil }
            if !more { return JSONMembers(members: members, closing: closing) }
        }
    }

    /// The end of the value starting at `start`, skipped without decoding it: strings are scanned
    /// to their closing quote (any escape), containers by bracket depth (any depth). The body was
    /// already parsed whole, so only the value's extent is needed here.
    static func skip(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let quote = UInt8(ascii: "\"")
        let backslash = UInt8(ascii: "\\")
        var index = start
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case quote:
                index += 1
                while index < bytes.count, bytes[index] != quote { index += bytes[index] == backslash ? 2 : 1 }
                guard index < bytes.count else { return nil }
                index += 1
                if depth == 0 { return index }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                // At depth 0 this closes the enclosing object: a number or literal ended here.
                guard depth > 0 else { return index }
                depth -= 1
                index += 1
                if depth == 0 { return index }
            case UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                if depth == 0 { return index }
                index += 1
            default:
                index += 1
            }
        }
        return depth == 0 && index > start ? index : nil
    }

    /// Whether `member`'s value is the literal `null`.
    func isNull(_ member: Member, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        member.value.count == 4 && Array(bytes[member.value]) == Array("null".utf8)
    }

    /// Inserts `member` (`"key":value` text) as the object's last member.
    func appending(_ member: String) -> Edit {
        Edit(range: closing..<closing, replacement: Array(((members.isEmpty ? "" : ",") + member).utf8))
    }

    /// `bytes` with every edit applied; edits must not overlap.
    static func apply(_ edits: [Edit], to bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + edits.reduce(0) { $0 + $1.replacement.count })
        var copied = 0
        for edit in edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            result += bytes[copied..<edit.range.lowerBound]
            result += edit.replacement
            copied = edit.range.upperBound
        }
        result += bytes[copied...]
        return result
    }
}
