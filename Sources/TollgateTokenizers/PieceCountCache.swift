/// A direct-mapped cache from short pre-tokens (up to 32 bytes, stored inline) to their token count.
///
/// Natural text repeats a small set of pre-tokens, so remembering the count of pre-tokens that needed
/// a full byte-pair merge makes repeated ones one hash and one 32-byte compare. Keys are compared in
/// full, so a hash collision can only cost a miss, never a wrong count.
final class PieceCountCache {
    /// Longest pre-token that is cached.
    static let maxKeyLength = 32
    private static let wordsPerEntry = 5
    private let entries: UnsafeMutablePointer<UInt64>
    private let mask: Int

    /// Creates a cache with `slots` entries (rounded up to a power of two).
    init(slots: Int) {
        var size = 16
        while size < slots { size <<= 1 }
        mask = size - 1
        entries = .allocate(capacity: size * Self.wordsPerEntry)
        entries.initialize(repeating: 0, count: size * Self.wordsPerEntry)
    }

    deinit { entries.deallocate() }

    /// The cached count for `piece[0..<count]` (`count <= maxKeyLength`), whose hash is `hash`.
    @inline(__always)
    func lookup(_ piece: UnsafePointer<UInt8>, count: Int, hash: UInt64) -> Int? {
        let entry = entries + (Int(truncatingIfNeeded: hash) & mask) * Self.wordsPerEntry
        let meta = entry[0]
        guard meta & ~0xFFFF == Self.metaKey(hash, count) else { return nil }
        var key = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        Self.pack(piece, count: count, into: &key)
        guard entry[1] == key.0, entry[2] == key.1, entry[3] == key.2, entry[4] == key.3 else { return nil }
        return Int(meta & 0xFFFF)
    }

    /// Remembers that `piece[0..<count]` (`count <= maxKeyLength`) encodes to `tokens` tokens.
    @inline(__always)
    func store(_ piece: UnsafePointer<UInt8>, count: Int, hash: UInt64, tokens: Int) {
        let entry = entries + (Int(truncatingIfNeeded: hash) & mask) * Self.wordsPerEntry
        var key = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        Self.pack(piece, count: count, into: &key)
        entry[0] = Self.metaKey(hash, count) | UInt64(tokens)
        entry[1] = key.0
        entry[2] = key.1
        entry[3] = key.2
        entry[4] = key.3
    }

    /// Hash tag (upper 40 bits) and length (bits 16..<24) above the 16-bit count; never zero.
    @inline(__always)
    private static func metaKey(_ hash: UInt64, _ count: Int) -> UInt64 {
        (hash & 0xFFFF_FFFF_FF00_0000) | UInt64(count) << 16
    }

    @inline(__always)
    private static func pack(_ piece: UnsafePointer<UInt8>, count: Int, into key: inout (UInt64, UInt64, UInt64, UInt64)) {
        withUnsafeMutableBytes(of: &key) { raw in
            raw.baseAddress!.copyMemory(from: piece, byteCount: count)
        }
    }
}
