/// DeepSeek-V3's pre-tokenizer sequence, by hand, flattened into one scan. `tokenizer.json` applies
/// three `Split` steps with `Isolated` behaviour, each to the pieces of the previous one:
///
/// 1. `\p{N}{1,3}`
/// 2. `[一-龥぀-ゟ゠-ヿ]+`
/// 3. ``[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+``
///
/// So pattern 3 only ever sees the stretches between numbers and CJK runs: a number or CJK scalar is
/// an end of input for it. Scalars pattern 3 does not match stay as their own (gap) piece.
struct DeepSeekScanner: PieceScanner {
    func pieceEnd(_ cursor: inout ScanCursor, from start: Int) -> Int {
        let (first, firstLength) = cursor.classAt(start)
        if first.contains(.number) { return cursor.numberEnd(from: start, firstLength: firstLength) }
        if first.contains(.cjk) { return cursor.runEnd(from: start, while: .cjk) }
        if let end = matchEnd(&cursor, at: start, first: first, firstLength: firstLength) { return end }
        // No alternative matches here: the gap runs to the next position where one does.
        var position = start &+ firstLength
        while true {
            let (cls, length) = Self.segmentClass(&cursor, position)
            if cls.contains(.end) { return position }
            if matchEnd(&cursor, at: position, first: cls, firstLength: length) != nil { return position }
            position &+= length
        }
    }

    /// The class as pattern 3 sees it: numbers and CJK scalars end its input.
    @inline(__always)
    static func segmentClass(_ cursor: inout ScanCursor, _ offset: Int) -> (ScalarClass, Int) {
        let (cls, length) = cursor.classAt(offset)
        return cls.intersects([.number, .cjk]) ? (.end, 0) : (cls, length)
    }

    /// Pattern 3 at `start`, or `nil` when no alternative matches there.
    @inline(__always)
    private func matchEnd(_ cursor: inout ScanCursor, at start: Int, first: ScalarClass, firstLength: Int) -> Int? {
        let lettersAndMarks: ScalarClass = [.letter, .mark]
        let punctuationAndSymbols: ScalarClass = [.punctuation, .symbol]
        if first.contains(.asciiPunctuation), Self.segmentClass(&cursor, start &+ 1).0.contains(.asciiLetter) {
            return cursor.runEnd(from: start &+ 1, while: .asciiLetter)
        }
        if !first.intersects([.lineBreak, .letter, .punctuation, .symbol]),
            Self.segmentClass(&cursor, start &+ firstLength).0.intersects(lettersAndMarks)
        {
            return segmentRunEnd(&cursor, from: start &+ firstLength, while: lettersAndMarks)
        }
        if first.intersects(lettersAndMarks) { return segmentRunEnd(&cursor, from: start, while: lettersAndMarks) }
        var symbolStart = -1
        if cursor.base[start] == 0x20, Self.segmentClass(&cursor, start &+ 1).0.intersects(punctuationAndSymbols) {
            symbolStart = start &+ 1
        } else if first.intersects(punctuationAndSymbols) {
            symbolStart = start
        }
        if symbolStart >= 0 {
            let symbolsEnd = segmentRunEnd(&cursor, from: symbolStart, while: punctuationAndSymbols)
            return cursor.runEnd(from: symbolsEnd, while: .lineBreak)
        }
        if first.contains(.whitespace) {
            return cursor.whitespaceRunEnd(from: start) { cursor, offset in Self.segmentClass(&cursor, offset) }
        }
        return nil
    }

    @inline(__always)
    private func segmentRunEnd(_ cursor: inout ScanCursor, from start: Int, while members: ScalarClass) -> Int {
        var position = start
        while true {
            let (cls, length) = Self.segmentClass(&cursor, position)
            guard cls.intersects(members) else { return position }
            position &+= length
        }
    }
}
