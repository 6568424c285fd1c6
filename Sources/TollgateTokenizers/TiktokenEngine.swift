import TollgateVocabularyTables

/// A tiktoken encoding: a byte → rank vocabulary plus the pre-tokenizer of its pattern.
///
/// Matches tiktoken's `encode(text, disallowed_special=())`: special-token text is ordinary text.
final class TiktokenEngine: PieceEncoder, Sendable {
    /// Which hand-written pre-tokenizer the encoding uses.
    enum Pattern: Sendable {
        case o200k, cl100k
    }

    let ranks: ByteRankTable
    let pattern: Pattern

    init(ranks: ByteRankTable, pattern: Pattern) {
        self.ranks = ranks
        self.pattern = pattern
    }

    @inline(__always)
    func countPiece(_ piece: UnsafePointer<UInt8>, count: Int, cache: PieceCountCache?) -> Int {
        // tiktoken looks the whole pre-token up before merging; most words hit here.
        if count == 1 || ranks.lookup(piece, count: count) != nil { return 1 }
        guard let cache, count <= PieceCountCache.maxKeyLength else {
            return RankedBytePairMerge.merge(piece, count: count, ranks: ranks) { _, _ in }
        }
        let hash = ByteHash.hash(piece, count: count)
        if let cached = cache.lookup(piece, count: count, hash: hash) { return cached }
        let tokens = RankedBytePairMerge.merge(piece, count: count, ranks: ranks) { _, _ in }
        cache.store(piece, count: count, hash: hash, tokens: tokens)
        return tokens
    }

    func encodePiece(_ piece: UnsafePointer<UInt8>, count: Int, into ids: inout [Int]) {
        if let rank = ranks.lookup(piece, count: count) {
            ids.append(Int(rank))
            return
        }
        _ = RankedBytePairMerge.merge(piece, count: count, ranks: ranks) { start, end in
            ids.append(Int(ranks.lookup(piece + start, count: end - start)!))
        }
    }

    func count(_ bytes: UnsafeBufferPointer<UInt8>, cache: PieceCountCache?) -> Int {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        switch pattern {
        case .o200k: return O200kScanner().count(self, in: base, from: 0, to: bytes.count, cache: cache)
        case .cl100k: return Cl100kScanner().count(self, in: base, from: 0, to: bytes.count, cache: cache)
        }
    }

    func encode(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
        var ids: [Int] = []
        ids.reserveCapacity(bytes.count / 3)
        switch pattern {
        case .o200k: O200kScanner().encode(self, in: base, from: 0, to: bytes.count, into: &ids)
        case .cl100k: Cl100kScanner().encode(self, in: base, from: 0, to: bytes.count, into: &ids)
        }
        return ids
    }

    func stableCount(_ bytes: UnsafeBufferPointer<UInt8>, cache: PieceCountCache?) -> StableCount {
        var result = StableCount()
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return result }
        switch pattern {
        case .o200k:
            O200kScanner().stableCount(
                self,
                in: base,
                from: 0,
                to: bytes.count,
                hardEnd: false,
                limit: bytes.count,
                cache: cache,
                into: &result
            )
        case .cl100k:
            Cl100kScanner().stableCount(
                self,
                in: base,
                from: 0,
                to: bytes.count,
                hardEnd: false,
                limit: bytes.count,
                cache: cache,
                into: &result
            )
        }
        return result
    }
}
