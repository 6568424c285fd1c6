/// A fast, non-cryptographic hash of short byte strings (pre-tokens and vocabulary entries).
///
/// The build-time tables (`tollgate-embed`) place entries by this hash, so the tokenizers and the
/// tool must share this one definition; `@inlinable` keeps it inlined in the counting loops.
public enum ByteHash {
    /// The hash of `bytes[0..<count]`.
    @inlinable @inline(__always)
    public static func hash(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        var state = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        let raw = UnsafeRawPointer(bytes)
        while offset &+ 8 <= count {
            state = mix(state ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset &+= 8
        }
        if offset < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(bytes[offset]) << shift
                shift &+= 8
                offset &+= 1
            }
            state = mix(state ^ tail)
        }
        return state ^ (state >> 29)
    }

    @inlinable @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: 0xBF58_476D_1CE4_E5B9)
        return product.high ^ product.low
    }
}
