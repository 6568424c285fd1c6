import TollgateVocabularyTables

/// A Hugging Face byte-level BPE tokenizer (DeepSeek-V3's `tokenizer.json`): added-token
/// extraction, the DeepSeek pre-tokenizer sequence, byte-level mapping and merge-list BPE.
///
/// Matches `Tokenizer.encode(text, add_special_tokens=False)`.
final class HuggingFaceEngine: PieceEncoder, @unchecked Sendable {
    // @unchecked Sendable: `byteTokens` is filled in `init` and only read afterwards; the other
    // stored properties are immutable and Sendable themselves.

    /// Token id of each single byte (the byte-level alphabet).
    private let byteTokens: UnsafeMutablePointer<UInt32>
    let merges: PairMergeTable
    let addedTokens: AddedTokenMatcher

    /// An engine over `tables`, read from a `tokenizer.json` or from the built-in table image.
    init(tables: MergeModelTables) {
        byteTokens = .allocate(capacity: 256)
        byteTokens.initialize(from: tables.byteTokens, count: 256)
        merges = tables.merges
        var matcher = AddedTokenMatcher()
        for token in tables.addedTokens {
            if token.normalized {
                matcher.normalized.insert(token.content, id: token.id)
            } else {
                matcher.raw.insert(token.content, id: token.id)
            }
        }
        addedTokens = matcher
    }

    deinit { byteTokens.deallocate() }

    @inline(__always)
    func countPiece(_ piece: UnsafePointer<UInt8>, count: Int, cache: PieceCountCache?) -> Int {
        if count == 1 { return 1 }
        guard let cache, count <= PieceCountCache.maxKeyLength else {
            return MergeListBytePairMerge.merge(piece, count: count, byteTokens: byteTokens, merges: merges) { _ in }
        }
        let hash = ByteHash.hash(piece, count: count)
        if let cached = cache.lookup(piece, count: count, hash: hash) { return cached }
        let tokens = MergeListBytePairMerge.merge(piece, count: count, byteTokens: byteTokens, merges: merges) { _ in }
        cache.store(piece, count: count, hash: hash, tokens: tokens)
        return tokens
    }

    func encodePiece(_ piece: UnsafePointer<UInt8>, count: Int, into ids: inout [Int]) {
        _ = MergeListBytePairMerge.merge(piece, count: count, byteTokens: byteTokens, merges: merges) { id in
            ids.append(Int(id))
        }
    }

    /// Walks the text as `tokenizers` does: added tokens out first, the pre-tokenizer on the rest.
    /// `segment(start, end, hardEnd)` receives each stretch between added tokens.
    @inline(__always)
    private func walk(
        _ base: UnsafePointer<UInt8>,
        count: Int,
        segment: (_ start: Int, _ end: Int, _ hardEnd: Bool) -> Void,
        added: (AddedTokenMatch) -> Void
    ) {
        var position = 0
        var rawMatch: AddedTokenMatch?
        var rawSearched = false
        while position < count {
            if !rawSearched || (rawMatch.map { $0.start < position } ?? false) {
                rawMatch = addedTokens.raw.firstMatch(base, from: position, to: count)
                rawSearched = true
            }
            let gapEnd = rawMatch?.start ?? count
            if let match = addedTokens.normalized.firstMatch(base, from: position, to: gapEnd) {
                if match.start > position { segment(position, match.start, true) }
                added(match)
                position = match.end
                continue
            }
            if gapEnd > position { segment(position, gapEnd, rawMatch != nil) }
            guard let match = rawMatch else { break }
            added(match)
            position = match.end
            rawSearched = false
        }
    }

    func count(_ bytes: UnsafeBufferPointer<UInt8>, cache: PieceCountCache?) -> Int {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        var total = 0
        walk(
            base,
            count: bytes.count,
            segment: { start, end, _ in
                total += DeepSeekScanner().count(self, in: base, from: start, to: end, cache: cache)
            },
            added: { _ in total += 1 }
        )
        return total
    }

    func encode(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
        var ids: [Int] = []
        walk(
            base,
            count: bytes.count,
            segment: { start, end, _ in
                DeepSeekScanner().encode(self, in: base, from: start, to: end, into: &ids)
            },
            added: { match in ids.append(Int(match.id)) }
        )
        return ids
    }

    func stableCount(_ bytes: UnsafeBufferPointer<UInt8>, cache: PieceCountCache?) -> StableCount {
        var result = StableCount()
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return result }
        let limit = addedTokens.pendingStart(base, end: bytes.count)
        walk(
            base,
            count: bytes.count,
            segment: { start, end, hardEnd in
                DeepSeekScanner().stableCount(
                    self,
                    in: base,
                    from: start,
                    to: end,
                    hardEnd: hardEnd,
                    limit: limit,
                    cache: cache,
                    into: &result
                )
            },
            added: { match in
                result.add(tokens: 1, end: match.end, seen: match.end, limit: limit)
            }
        )
        return result
    }
}
