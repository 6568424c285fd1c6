/// cl100k_base's pre-tokenizer, by hand. The pattern (tiktoken `openai_public.py`) is, in order:
///
///     '(?i:[sdmt]|ll|ve|re)
///     [^\r\n\p{L}\p{N}]?+\p{L}++
///     \p{N}{1,3}+
///      ?[^\s\p{L}\p{N}]++[\r\n]*+
///     \s++$
///     \s*[\r\n]
///     \s+(?!\S)
///     \s
struct Cl100kScanner: PieceScanner {
    func pieceEnd(_ cursor: inout ScanCursor, from start: Int) -> Int {
        if cursor.base[start] == 0x27, let end = contractionEnd(&cursor, apostrophe: start) { return end }
        let (first, firstLength) = cursor.classAt(start)
        if first.intersects(.letter) { return cursor.runEnd(from: start, while: .letter) }
        if !first.intersects([.lineBreak, .number]), cursor.classAt(start &+ firstLength).cls.intersects(.letter) {
            return cursor.runEnd(from: start &+ firstLength, while: .letter)
        }
        if first.contains(.number) { return cursor.numberEnd(from: start, firstLength: firstLength) }
        let other: ScalarClass = [.whitespace, .letter, .number, .end]
        var symbolStart = -1
        if cursor.base[start] == 0x20, !cursor.classAt(start &+ 1).cls.intersects(other) {
            symbolStart = start &+ 1
        } else if !first.intersects(other) {
            symbolStart = start
        }
        if symbolStart >= 0 {
            let symbolsEnd = cursor.runEnd(from: symbolStart, until: other)
            return cursor.runEnd(from: symbolsEnd, while: .lineBreak)
        }
        var position = start
        var lastBreakEnd = -1
        var lastStart = start
        while true {
            let (cls, length) = cursor.classAt(position)
            guard cls.contains(.whitespace) else {
                if cls.contains(.end) { return position }  // \s++$
                break
            }
            if cls.contains(.lineBreak) { lastBreakEnd = position &+ length }
            lastStart = position
            position &+= length
        }
        if lastBreakEnd >= 0 { return lastBreakEnd }  // \s*[\r\n]
        if lastStart > start { return lastStart }  // \s+(?!\S)
        return start &+ firstLength  // \s
    }

    /// `'(?i:[sdmt]|ll|ve|re)` after the apostrophe at `apostrophe`; `ſ` folds to `s`.
    @inline(__always)
    private func contractionEnd(_ cursor: inout ScanCursor, apostrophe: Int) -> Int? {
        let (letter, length) = cursor.scalarAt(apostrophe &+ 1)
        if letter == 0x17F { return apostrophe &+ 1 &+ length }
        switch letter < 0x80 ? letter | 0x20 : letter {
        case 0x73, 0x64, 0x6D, 0x74: return apostrophe &+ 2
        case 0x6C: return cursor.scalarAt(apostrophe &+ 2).value | 0x20 == 0x6C ? apostrophe &+ 3 : nil
        case 0x76, 0x72: return cursor.scalarAt(apostrophe &+ 2).value | 0x20 == 0x65 ? apostrophe &+ 3 : nil
        default: return nil
        }
    }
}
