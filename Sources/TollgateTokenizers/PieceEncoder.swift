/// The model half of a tokenizer: turns one pre-token's bytes into tokens.
protocol PieceEncoder {
    /// Number of tokens `piece[0..<count]` encodes to; `cache` may remember the answer.
    func countPiece(_ piece: UnsafePointer<UInt8>, count: Int, cache: PieceCountCache?) -> Int
    /// Appends the token ids of `piece[0..<count]`.
    func encodePiece(_ piece: UnsafePointer<UInt8>, count: Int, into ids: inout [Int])
}

/// What an incremental counter needs from one pass over its pending text.
struct StableCount {
    /// Bytes from the start that can no longer change tokenization, whatever is appended.
    var stableEnd = 0
    /// Tokens of those bytes.
    var stableTokens = 0
    /// Tokens of all the pending text.
    var totalTokens = 0
    private var open = true

    /// Adds a piece ending at `end` whose tokenization depended on bytes up to `seen` (exclusive);
    /// it is stable when nothing at or after `limit` was consulted and every earlier piece was.
    @inline(__always)
    mutating func add(tokens: Int, end: Int, seen: Int, limit: Int) {
        totalTokens += tokens
        if open, seen <= limit {
            stableEnd = end
            stableTokens += tokens
        } else {
            open = false
        }
    }
}

extension PieceScanner {
    /// Token count of `base[start..<end]`.
    @inline(__always)
    func count(
        _ encoder: some PieceEncoder,
        in base: UnsafePointer<UInt8>,
        from start: Int,
        to end: Int,
        cache: PieceCountCache?
    ) -> Int {
        var total = 0
        forEachPiece(in: base, from: start, to: end) { pieceStart, pieceEnd, _ in
            total &+= encoder.countPiece(base + pieceStart, count: pieceEnd &- pieceStart, cache: cache)
        }
        return total
    }

    /// Appends the token ids of `base[start..<end]`.
    func encode(
        _ encoder: some PieceEncoder,
        in base: UnsafePointer<UInt8>,
        from start: Int,
        to end: Int,
        into ids: inout [Int]
    ) {
        forEachPiece(in: base, from: start, to: end) { pieceStart, pieceEnd, _ in
            encoder.encodePiece(base + pieceStart, count: pieceEnd - pieceStart, into: &ids)
        }
    }

    /// Counts `base[start..<end]` into `result`, tracking which prefix is stable below `limit`.
    /// `hardEnd` says `end` is a fixed boundary (an added token), so probing it is no dependency.
    @inline(__always)
    func stableCount(
        _ encoder: some PieceEncoder,
        in base: UnsafePointer<UInt8>,
        from start: Int,
        to end: Int,
        hardEnd: Bool,
        limit: Int,
        cache: PieceCountCache?,
        into result: inout StableCount
    ) {
        forEachPiece(in: base, from: start, to: end) { pieceStart, pieceEnd, seen in
            let tokens = encoder.countPiece(base + pieceStart, count: pieceEnd - pieceStart, cache: cache)
            result.add(tokens: tokens, end: pieceEnd, seen: hardEnd ? min(seen, end) : seen, limit: limit)
        }
    }
}
