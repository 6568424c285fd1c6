/// Open-addressing table from a pair of token ids to the merge that joins them: its priority (the
/// line number in `merges`) and the resulting token id. This is how Hugging Face BPE decides merges,
/// by the pair of *tokens*, not by the concatenated bytes.
final class PairMergeTable: @unchecked Sendable {
    // @unchecked Sendable: filled by `insert` during loading only, read-only once handed out.

    private let keys: UnsafeMutablePointer<UInt64>
    private let values: UnsafeMutablePointer<UInt64>
    private let mask: Int

    /// Creates an empty table for up to `capacity` merges.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        mask = size - 1
        keys = .allocate(capacity: size)
        keys.initialize(repeating: 0, count: size)
        values = .allocate(capacity: size)
        values.initialize(repeating: 0, count: size)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Records that `left` followed by `right` merges into `result` with priority `rank`; the first
    /// entry for a pair wins, as in Hugging Face's loader.
    func insert(left: UInt32, right: UInt32, rank: UInt32, result: UInt32) {
        let key = (UInt64(left) << 32 | UInt64(right)) &+ 1
        var index = Self.slot(key) & mask
        while keys[index] != 0 {
            if keys[index] == key { return }
            index = (index + 1) & mask
        }
        keys[index] = key
        values[index] = UInt64(rank) << 32 | UInt64(result)
    }

    /// The merge for `left` followed by `right`: `rank << 32 | result`, or `UInt64.max` if none.
    @inline(__always)
    func lookup(left: UInt32, right: UInt32) -> UInt64 {
        let key = (UInt64(left) << 32 | UInt64(right)) &+ 1
        var index = Self.slot(key) & mask
        while true {
            let stored = keys[index]
            if stored == key { return values[index] }
            if stored == 0 { return .max }
            index = (index &+ 1) & mask
        }
    }

    @inline(__always)
    private static func slot(_ key: UInt64) -> Int {
        let product = key.multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return Int(truncatingIfNeeded: product.high ^ product.low)
    }
}
