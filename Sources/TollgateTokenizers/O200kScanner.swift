/// o200k_base's pre-tokenizer, by hand. The pattern (tiktoken `openai_public.py`) is, in order:
///
///     [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
///     [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
///     \p{N}{1,3}
///      ?[^\s\p{L}\p{N}]+[\r\n/]*
///     \s*[\r\n]+
///     \s+(?!\S)
///     \s+
struct O200kScanner: PieceScanner {
    func pieceEnd(_ cursor: inout ScanCursor, from start: Int) -> Int {
        let (first, firstLength) = cursor.classAt(start)
        let prefixable = !first.intersects([.lineBreak, .letter, .number])
        // Alternative 1: optional prefix, Upper* Lower+, optional contraction.
        if prefixable, let end = lowerWordEnd(&cursor, from: start &+ firstLength) {
            return contractionEnd(&cursor, at: end)
        }
        if first.intersects([.o200kUpper, .o200kLower]), let end = lowerWordEnd(&cursor, from: start) {
            return contractionEnd(&cursor, at: end)
        }
        // Alternative 2: optional prefix, Upper+ Lower*, optional contraction.
        if prefixable {
            let upperEnd = cursor.runEnd(from: start &+ firstLength, while: .o200kUpper)
            if upperEnd > start &+ firstLength {
                return contractionEnd(&cursor, at: cursor.runEnd(from: upperEnd, while: .o200kLower))
            }
        }
        if first.intersects(.o200kUpper) {
            let upperEnd = cursor.runEnd(from: start, while: .o200kUpper)
            return contractionEnd(&cursor, at: cursor.runEnd(from: upperEnd, while: .o200kLower))
        }
        if first.contains(.number) { return cursor.numberEnd(from: start, firstLength: firstLength) }
        // Alternative 4: ` ?[^\s\p{L}\p{N}]+[\r\n/]*`.
        let other: ScalarClass = [.whitespace, .letter, .number, .end]
        var symbolStart = -1
        if cursor.base[start] == 0x20, !cursor.classAt(start &+ 1).cls.intersects(other) {
            symbolStart = start &+ 1
        } else if !first.intersects(other) {
            symbolStart = start
        }
        if symbolStart >= 0 {
            var position = cursor.runEnd(from: symbolStart, until: other)
            while true {
                let (cls, length) = cursor.classAt(position)
                guard cls.contains(.lineBreak) || (!cls.contains(.end) && cursor.base[position] == 0x2F) else { break }
                position &+= length
            }
            return position
        }
        if first.contains(.whitespace) {
            return cursor.whitespaceRunEnd(from: start) { cursor, offset in cursor.classAt(offset) }
        }
        return start &+ firstLength  // unreachable: every scalar falls in one of the classes above
    }

    /// `[Upper]*[Lower]+` from `start` with the backtracking a regex engine performs, or `nil`.
    @inline(__always)
    private func lowerWordEnd(_ cursor: inout ScanCursor, from start: Int) -> Int? {
        var position = start
        while true {
            let (cls, length) = cursor.classAt(position)
            if cls.intersects(.o200kUpper) {
                position &+= length
                continue
            }
            if cls.intersects(.o200kLower) { return cursor.runEnd(from: position, while: .o200kLower) }
            break
        }
        // Give back Upper scalars until one of them can start the Lower+ run.
        while position > start {
            position = cursor.previousStart(position)
            if cursor.classAt(position).cls.intersects(.o200kLower) {
                return cursor.runEnd(from: position, while: .o200kLower)
            }
        }
        return nil
    }

    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)?` at `end`. Case-insensitive matching in Rust's regex uses simple
    /// case folding, so `s` also matches U+017F LATIN SMALL LETTER LONG S.
    @inline(__always)
    private func contractionEnd(_ cursor: inout ScanCursor, at end: Int) -> Int {
        guard cursor.scalarAt(end).value == 0x27 else { return end }
        let (letter, length) = cursor.scalarAt(end &+ 1)
        if letter == 0x17F { return end &+ 1 &+ length }  // ſ folds to s
        switch letter < 0x80 ? letter | 0x20 : letter {
        case 0x73, 0x74, 0x6D, 0x64: return end &+ 1 &+ length  // s t m d
        case 0x72, 0x76:  // r v -> e
            return cursor.scalarAt(end &+ 2).value | 0x20 == 0x65 ? end &+ 3 : end
        case 0x6C:  // l -> l
            return cursor.scalarAt(end &+ 2).value | 0x20 == 0x6C ? end &+ 3 : end
        default: return end
        }
    }
}

extension ScanCursor {
    /// `\p{N}{1,3}` from a number scalar at `start`.
    @inline(__always)
    mutating func numberEnd(from start: Int, firstLength: Int) -> Int {
        var position = start &+ firstLength
        for _ in 0..<2 {
            let (cls, length) = classAt(position)
            guard cls.contains(.number) else { break }
            position &+= length
        }
        return position
    }
}
