/// Open-addressing table from a pair of token ids to the merge that joins them: its priority (the
/// line number in `merges`) and the resulting token id. This is how Hugging Face BPE decides merges,
/// by the pair of *tokens*, not by the concatenated bytes.
public final class PairMergeTable: @unchecked Sendable {
    // @unchecked Sendable: filled by `insert` (or from a table image) during loading only, read-only
    // once handed out.

    @usableFromInline let keys: UnsafeMutablePointer<UInt64>
    @usableFromInline let values: UnsafeMutablePointer<UInt64>
    @usableFromInline let mask: Int
    /// Number of merges.
    public internal(set) var count = 0

    /// Creates an empty table for up to `capacity` merges.
    public convenience init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.init(slotCount: size)
    }

    /// Creates an empty table of exactly `slotCount` slots (a power of two).
    init(slotCount: Int) {
        precondition(slotCount >= 16 && slotCount & (slotCount - 1) == 0, "slot count must be a power of two")
        mask = slotCount - 1
        keys = .allocate(capacity: slotCount)
        keys.initialize(repeating: 0, count: slotCount)
        values = .allocate(capacity: slotCount)
        values.initialize(repeating: 0, count: slotCount)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Records that `left` followed by `right` merges into `result` with priority `rank`; the first
    /// entry for a pair wins, as in Hugging Face's loader.
    public func insert(left: UInt32, right: UInt32, rank: UInt32, result: UInt32) {
        let key = (UInt64(left) << 32 | UInt64(right)) &+ 1
        var index = Self.slot(key) & mask
        while keys[index] != 0 {
            if keys[index] == key { return }
            index = (index + 1) & mask
        }
        keys[index] = key
        values[index] = UInt64(rank) << 32 | UInt64(result)
        count += 1
    }

    /// The merge for `left` followed by `right`: `rank << 32 | result`, or `UInt64.max` if none.
    @inlinable @inline(__always)
    public func lookup(left: UInt32, right: UInt32) -> UInt64 {
        let key = (UInt64(left) << 32 | UInt64(right)) &+ 1
        var index = Self.slot(key) & mask
        while true {
            let stored = keys[index]
            if stored == key { return values[index] }
            if stored == 0 { return .max }
            index = (index &+ 1) & mask
        }
    }

    @inlinable @inline(__always)
    static func slot(_ key: UInt64) -> Int {
        let product = key.multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return Int(truncatingIfNeeded: product.high ^ product.low)
    }
}
