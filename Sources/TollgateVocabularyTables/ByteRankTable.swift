/// Open-addressing hash table from a token's bytes to its rank, stored flat so a lookup touches one
/// slot array and one byte arena (no per-key allocation, no Array bounds checks in the hot loop).
public final class ByteRankTable: @unchecked Sendable {
    // @unchecked Sendable: every buffer is filled by `insert` (or from a table image) while the owning
    // loader builds the table and never written again once it is handed out; later access only reads.

    /// Slot layout: arena offset (32 bits) | length (16 bits) | hash tag (16 bits); 0 marks empty.
    @usableFromInline let slots: UnsafeMutablePointer<UInt64>
    @usableFromInline let ranks: UnsafeMutablePointer<UInt32>
    @usableFromInline let mask: Int
    @usableFromInline var arena: UnsafeMutablePointer<UInt8>
    var arenaCount = 0
    var arenaCapacity: Int
    /// Number of entries.
    public internal(set) var count = 0

    /// Creates an empty table able to hold `capacity` entries with roughly `arenaBytes` of key bytes.
    public convenience init(capacity: Int, arenaBytes: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.init(slotCount: size, arenaBytes: arenaBytes)
    }

    /// An empty table sized for a `*.tiktoken` file of `fileBytes` bytes (about 18 bytes a line), as
    /// the file loader and the build-time image both make it, so both count at the same speed.
    public static func sized(forTiktokenFileOf fileBytes: Int) -> ByteRankTable {
        ByteRankTable(capacity: fileBytes / 12 + 1024, arenaBytes: fileBytes)
    }

    /// Creates an empty table of exactly `slotCount` slots (a power of two).
    init(slotCount: Int, arenaBytes: Int) {
        precondition(slotCount >= 16 && slotCount & (slotCount - 1) == 0, "slot count must be a power of two")
        mask = slotCount - 1
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        ranks = .allocate(capacity: slotCount)
        ranks.initialize(repeating: 0, count: slotCount)
        arenaCapacity = max(arenaBytes, 64)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        slots.deallocate()
        ranks.deallocate()
        arena.deallocate()
    }

    /// Inserts `bytes` with `rank`; returns false if the bytes were already present (kept unchanged).
    @discardableResult
    public func insert(_ bytes: UnsafeBufferPointer<UInt8>, rank: UInt32) -> Bool {
        precondition(bytes.count > 0 && bytes.count < 0x10000, "token length out of range")
        if lookup(bytes.baseAddress!, count: bytes.count) != nil { return false }
        if arenaCount + bytes.count > arenaCapacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(arenaCapacity * 2, arenaCount + bytes.count))
            grown.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = grown
            arenaCapacity = max(arenaCapacity * 2, arenaCount + bytes.count)
        }
        (arena + arenaCount).update(from: bytes.baseAddress!, count: bytes.count)
        let hash = ByteHash.hash(bytes.baseAddress!, count: bytes.count)
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index] != 0 { index = (index + 1) & mask }
        slots[index] = UInt64(arenaCount) << 32 | UInt64(bytes.count) << 16 | (hash >> 48)
        ranks[index] = rank
        arenaCount += bytes.count
        count += 1
        precondition(count * 2 <= mask + 1, "ByteRankTable over capacity")
        return true
    }

    /// The rank of the token whose bytes are `bytes[0..<count]`, if it is in the vocabulary.
    @inlinable @inline(__always)
    public func lookup(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt32? {
        let hash = ByteHash.hash(bytes, count: count)
        let expected = UInt64(count) << 16 | (hash >> 48)
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot == 0 { return nil }
            if slot & 0xFFFF_FFFF == expected, Self.memoryEquals(arena + Int(slot >> 32), bytes, count) {
                return ranks[index]
            }
            index = (index &+ 1) & mask
        }
    }

    @inlinable @inline(__always)
    static func memoryEquals(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var offset = 0
        let left = UnsafeRawPointer(lhs)
        let right = UnsafeRawPointer(rhs)
        while offset &+ 8 <= count {
            if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            {
                return false
            }
            offset &+= 8
        }
        while offset < count {
            if lhs[offset] != rhs[offset] { return false }
            offset &+= 1
        }
        return true
    }
}
