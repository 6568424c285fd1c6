/// Reads Unicode scalars from UTF-8 bytes for the hand-written pre-tokenizers, and remembers how far
/// the current decision looked.
///
/// `seen` is what makes incremental counting exact: a pre-token whose scan never looked at the end of
/// the input (or past a caller's stability limit) cannot change whatever text is appended later,
/// because none of the patterns look behind.
struct ScanCursor {
    /// Start of the UTF-8 bytes (always valid UTF-8: they come from Swift strings).
    let base: UnsafePointer<UInt8>
    /// One past the last byte of the input.
    let end: Int
    private let table: UnsafePointer<UInt16>
    /// Exclusive byte offset of the furthest byte read for the current piece; `end + 1` once the end
    /// of the input itself was probed.
    var seen: Int = 0

    init(base: UnsafePointer<UInt8>, end: Int) {
        self.base = base
        self.end = end
        self.table = UnsafePointer(ScalarClassTable.shared.classes)
    }

    /// The class of the scalar at `offset`, or ``ScalarClass/end`` past the input, with its length.
    @inline(__always)
    mutating func classAt(_ offset: Int) -> (cls: ScalarClass, length: Int) {
        guard offset < end else {
            seen = end &+ 1
            return (.end, 0)
        }
        let lead = base[offset]
        if lead < 0x80 {
            if offset &+ 1 > seen { seen = offset &+ 1 }
            return (ScalarClass(rawValue: table[Int(lead)]), 1)
        }
        let (value, length) = decode(lead, at: offset)
        if offset &+ length > seen { seen = offset &+ length }
        if value < 0x10000 { return (ScalarClass(rawValue: table[Int(value)]), length) }
        return (ScalarClass.compute(value), length)
    }

    /// The raw scalar value at `offset` (which must be inside the input), for literal comparisons.
    @inline(__always)
    mutating func scalarAt(_ offset: Int) -> (value: UInt32, length: Int) {
        guard offset < end else {
            seen = end &+ 1
            return (UInt32.max, 0)
        }
        let lead = base[offset]
        let decoded = lead < 0x80 ? (UInt32(lead), 1) : decode(lead, at: offset)
        if offset &+ decoded.1 > seen { seen = offset &+ decoded.1 }
        return decoded
    }

    /// The start of the scalar that ends at `offset`.
    @inline(__always)
    func previousStart(_ offset: Int) -> Int {
        var position = offset &- 1
        while base[position] & 0xC0 == 0x80 { position &-= 1 }
        return position
    }

    @inline(__always)
    private func decode(_ lead: UInt8, at offset: Int) -> (UInt32, Int) {
        let b1 = UInt32(base[offset &+ 1] & 0x3F)
        if lead < 0xE0 { return ((UInt32(lead & 0x1F) << 6) | b1, 2) }
        let b2 = UInt32(base[offset &+ 2] & 0x3F)
        if lead < 0xF0 { return ((UInt32(lead & 0x0F) << 12) | (b1 << 6) | b2, 3) }
        let b3 = UInt32(base[offset &+ 3] & 0x3F)
        return ((UInt32(lead & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3, 4)
    }
}
