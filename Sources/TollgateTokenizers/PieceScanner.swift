/// A hand-written pre-tokenizer: finds where the pre-token starting at a byte offset ends, exactly
/// as the provider's regex would (leftmost-first alternation, greedy quantifiers with backtracking).
protocol PieceScanner {
    /// The exclusive end of the pre-token that starts at `start` (`start < cursor.end`).
    func pieceEnd(_ cursor: inout ScanCursor, from start: Int) -> Int
}

extension PieceScanner {
    /// Splits `[start, end)` into pre-tokens, reporting each with how far its scan looked
    /// (see ``ScanCursor/seen``).
    @inline(__always)
    func forEachPiece(
        in base: UnsafePointer<UInt8>,
        from start: Int,
        to end: Int,
        _ body: (_ start: Int, _ end: Int, _ seen: Int) -> Void
    ) {
        var cursor = ScanCursor(base: base, end: end)
        var position = start
        while position < end {
            cursor.seen = position
            let pieceEnd = pieceEnd(&cursor, from: position)
            body(position, pieceEnd, cursor.seen)
            position = pieceEnd
        }
    }
}

extension ScanCursor {
    /// End of the run of scalars whose class intersects `members`, starting at `start`.
    @inline(__always)
    mutating func runEnd(from start: Int, while members: ScalarClass) -> Int {
        var position = start
        while true {
            let (cls, length) = classAt(position)
            guard cls.intersects(members) else { return position }
            position &+= length
        }
    }

    /// End of the run of scalars whose class has no member of `stops` (which should include `.end`).
    @inline(__always)
    mutating func runEnd(from start: Int, until stops: ScalarClass) -> Int {
        var position = start
        while true {
            let (cls, length) = classAt(position)
            if cls.intersects(stops) { return position }
            position &+= length
        }
    }

    /// End of the `\s*[\r\n]+` / `\s+(?!\S)` / `\s+` family shared by o200k and DeepSeek-V3, for a
    /// whitespace scalar at `start`; `boundaryIsEnd` tells whether the scalar after the run counts as
    /// end of input (o200k: only the real end; DeepSeek: also a segment boundary).
    @inline(__always)
    mutating func whitespaceRunEnd(from start: Int, classify: (inout ScanCursor, Int) -> (ScalarClass, Int)) -> Int {
        var position = start
        var lastBreakEnd = -1
        var lastStart = start
        var following = ScalarClass.end
        while true {
            let (cls, length) = classify(&self, position)
            guard cls.contains(.whitespace) else {
                following = cls
                break
            }
            if cls.contains(.lineBreak) { lastBreakEnd = position &+ length }
            lastStart = position
            position &+= length
        }
        if lastBreakEnd >= 0 { return lastBreakEnd }  // \s*[\r\n]+
        if following.contains(.end) { return position }  // \s+(?!\S) at the end
        if lastStart > start { return lastStart }  // \s+(?!\S), giving back one scalar
        return position  // \s+
    }
}
