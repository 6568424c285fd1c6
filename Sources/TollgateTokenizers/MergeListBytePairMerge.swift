import TollgateVocabularyTables

/// Hugging Face's BPE model (`tokenizers` `Word::merge_all`): start from one token per byte, then
/// repeatedly apply the merge with the lowest priority among adjacent pairs (leftmost on ties).
///
/// As with ``RankedBytePairMerge``, short words scan and long words use a heap.
enum MergeListBytePairMerge {
    /// Splits `piece[0..<count]` into token ids, calling `emit(id)` for each, in order; returns the
    /// number of tokens. `byteTokens[b]` is the id of the single-byte token for byte `b`.
    @inline(__always)
    static func merge(
        _ piece: UnsafePointer<UInt8>,
        count: Int,
        byteTokens: UnsafePointer<UInt32>,
        merges: PairMergeTable,
        emit: (_ id: UInt32) -> Void
    ) -> Int {
        if count <= RankedBytePairMerge.heapThreshold {
            return mergeByScanning(piece, count: count, byteTokens: byteTokens, merges: merges, emit: emit)
        }
        return mergeWithHeap(piece, count: count, byteTokens: byteTokens, merges: merges, emit: emit)
    }

    private static func mergeByScanning(
        _ piece: UnsafePointer<UInt8>,
        count: Int,
        byteTokens: UnsafePointer<UInt32>,
        merges: PairMergeTable,
        emit: (UInt32) -> Void
    ) -> Int {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count) { idsBuffer in
            let ids = idsBuffer.baseAddress!
            return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count) { pairsBuffer in
                let pairs = pairsBuffer.baseAddress!
                for index in 0..<count { ids[index] = byteTokens[Int(piece[index])] }
                for index in 0..<(count - 1) { pairs[index] = merges.lookup(left: ids[index], right: ids[index + 1]) }
                var length = count
                while length > 1 {
                    var best = UInt64.max
                    var bestIndex = -1
                    for index in 0..<(length - 1) where pairs[index] >> 32 < best >> 32 {
                        best = pairs[index]
                        bestIndex = index
                    }
                    if bestIndex < 0 { break }
                    ids[bestIndex] = UInt32(truncatingIfNeeded: best)
                    let moved = length - bestIndex - 2
                    (ids + bestIndex + 1).update(from: ids + bestIndex + 2, count: moved)
                    (pairs + bestIndex).update(from: pairs + bestIndex + 1, count: moved)
                    length -= 1
                    if bestIndex > 0 { pairs[bestIndex - 1] = merges.lookup(left: ids[bestIndex - 1], right: ids[bestIndex]) }
                    if bestIndex < length - 1 { pairs[bestIndex] = merges.lookup(left: ids[bestIndex], right: ids[bestIndex + 1]) }
                }
                for index in 0..<length { emit(ids[index]) }
                return length
            }
        }
    }

    private static func mergeWithHeap(
        _ piece: UnsafePointer<UInt8>,
        count: Int,
        byteTokens: UnsafePointer<UInt32>,
        merges: PairMergeTable,
        emit: (UInt32) -> Void
    ) -> Int {
        var links = MergeLinks(count: count)
        let ids = UnsafeMutablePointer<UInt32>.allocate(capacity: count)
        defer {
            links.deallocate()
            ids.deallocate()
        }
        for index in 0..<count { ids[index] = byteTokens[Int(piece[index])] }
        @inline(__always) func refresh(_ node: Int, _ links: inout MergeLinks) {
            let second = Int(links.next[node])
            let merge = second < count ? merges.lookup(left: ids[node], right: ids[second]) : .max
            let rank = UInt32(truncatingIfNeeded: merge >> 32)
            links.rank[node] = rank
            if merge != .max { links.heap.push(UInt64(rank) << 32 | UInt64(node)) }
        }
        for node in 0..<count { refresh(node, &links) }
        var tokens = count
        while let top = links.heap.pop() {
            let node = Int(top & 0xFFFF_FFFF)
            guard links.alive[node], links.rank[node] == UInt32(top >> 32) else { continue }
            let merge = merges.lookup(left: ids[node], right: ids[Int(links.next[node])])
            ids[node] = UInt32(truncatingIfNeeded: merge)
            links.removeNext(of: node)
            tokens -= 1
            refresh(node, &links)
            let previous = Int(links.previous[node])
            if previous >= 0 { refresh(previous, &links) }
        }
        var node = 0
        while node < count {
            emit(ids[node])
            node = Int(links.next[node])
        }
        return tokens
    }
}
