import TollgateVocabularyTables

/// tiktoken's byte-pair merge: repeatedly join the adjacent pair whose concatenated bytes have the
/// lowest rank (leftmost on ties) until no adjacent concatenation is in the vocabulary.
///
/// Short pieces use tiktoken's own quadratic scan (fastest for the usual < 30 bytes); long pieces
/// (long runs of one character, whitespace, minified data) use a heap so the cost stays
/// O(n log n) instead of O(n²). Both pick the same pair at every step, so results are identical.
enum RankedBytePairMerge {
    /// Above this many bytes the heap variant is used.
    static let heapThreshold = 96

    /// Splits `piece[0..<count]` into tokens, calling `emit(start, end)` for each, in order.
    /// Returns the number of tokens.
    @inline(__always)
    static func merge(
        _ piece: UnsafePointer<UInt8>,
        count: Int,
        ranks: ByteRankTable,
        emit: (_ start: Int, _ end: Int) -> Void
    ) -> Int {
        if count <= heapThreshold { return mergeByScanning(piece, count: count, ranks: ranks, emit: emit) }
        return mergeWithHeap(piece, count: count, ranks: ranks, emit: emit)
    }

    private static func mergeByScanning(
        _ piece: UnsafePointer<UInt8>,
        count: Int,
        ranks: ByteRankTable,
        emit: (Int, Int) -> Void
    ) -> Int {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: count + 1) { startsBuffer in
            let starts = startsBuffer.baseAddress!
            return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count + 1) { pairRanksBuffer in
                let pairRanks = pairRanksBuffer.baseAddress!
                for index in 0..<(count - 1) {
                    starts[index] = Int32(index)
                    pairRanks[index] = ranks.lookup(piece + index, count: 2) ?? .max
                }
                starts[count - 1] = Int32(count - 1)
                pairRanks[count - 1] = .max
                starts[count] = Int32(count)
                pairRanks[count] = .max
                var length = count + 1
                @inline(__always) func rank(at index: Int) -> UInt32 {
                    guard index + 3 < length else { return .max }
                    let from = Int(starts[index])
                    return ranks.lookup(piece + from, count: Int(starts[index + 3]) - from) ?? .max
                }
                while true {
                    var best = UInt32.max
                    var bestIndex = -1
                    for index in 0..<(length - 1) where pairRanks[index] < best {
                        best = pairRanks[index]
                        bestIndex = index
                    }
                    if bestIndex < 0 { break }
                    if bestIndex > 0 { pairRanks[bestIndex - 1] = rank(at: bestIndex - 1) }
                    pairRanks[bestIndex] = rank(at: bestIndex)
                    let moved = length - bestIndex - 2
                    (starts + bestIndex + 1).update(from: starts + bestIndex + 2, count: moved)
                    (pairRanks + bestIndex + 1).update(from: pairRanks + bestIndex + 2, count: moved)
                    length -= 1
                }
                for index in 0..<(length - 1) { emit(Int(starts[index]), Int(starts[index + 1])) }
                return length - 1
            }
        }
    }

    private static func mergeWithHeap(
        _ piece: UnsafePointer<UInt8>,
        count: Int,
        ranks: ByteRankTable,
        emit: (Int, Int) -> Void
    ) -> Int {
        var links = MergeLinks(count: count)
        defer { links.deallocate() }
        @inline(__always) func pairRank(_ node: Int, _ links: inout MergeLinks) -> UInt32 {
            let second = Int(links.next[node])
            guard second < count else { return .max }
            let end = Int(links.next[second])
            return ranks.lookup(piece + node, count: end - node) ?? .max
        }
        for node in 0..<count {
            let rank = pairRank(node, &links)
            links.rank[node] = rank
            if rank != .max { links.heap.push(UInt64(rank) << 32 | UInt64(node)) }
        }
        var tokens = count
        while let top = links.heap.pop() {
            let node = Int(top & 0xFFFF_FFFF)
            let rank = UInt32(top >> 32)
            guard links.alive[node], links.rank[node] == rank else { continue }
            links.removeNext(of: node)
            tokens -= 1
            let updated = pairRank(node, &links)
            links.rank[node] = updated
            if updated != .max { links.heap.push(UInt64(updated) << 32 | UInt64(node)) }
            let previous = Int(links.previous[node])
            if previous >= 0 {
                let previousRank = pairRank(previous, &links)
                links.rank[previous] = previousRank
                if previousRank != .max { links.heap.push(UInt64(previousRank) << 32 | UInt64(previous)) }
            }
        }
        var node = 0
        while node < count {
            let next = Int(links.next[node])
            emit(node, next)
            node = next
        }
        return tokens
    }
}
