/// Reads a table image written by ``TableImageWriter``: decodes its base64 text in one tight pass
/// into a buffer it owns, then hands out fields in order.
///
/// Images are built with the binary (the built-in vocabularies), so a malformed one is a build
/// defect: it stops the process with a precondition rather than throwing an error nobody can fix.
public struct TableImageReader: ~Copyable {
    /// Standard base64; measured as fast as a 6-bit arithmetic alphabet and twice as fast as hex
    /// (BENCHMARKS.md, "Built-in vocabularies"), and any tool can decode it.
    static let base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    private let storage: UnsafeMutableRawBufferPointer
    private var position = 0

    /// Decodes `text` (base64 without padding characters, a multiple of four long).
    public init(base64 text: UnsafeRawBufferPointer) {
        precondition(text.count % 4 == 0, "table image text is not a multiple of four characters")
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in Self.base64Alphabet.utf8.enumerated() { values[Int(character)] = UInt8(index) }
        storage = .allocate(byteCount: text.count / 4 * 3, alignment: 8)
        let output = storage.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var invalid: UInt8 = 0
        values.withUnsafeBufferPointer { table in
            let input = text.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let lookup = table.baseAddress!
            var read = 0
            var written = 0
            while read < text.count {
                let a = lookup[Int(input[read])]
                let b = lookup[Int(input[read &+ 1])]
                let c = lookup[Int(input[read &+ 2])]
                let d = lookup[Int(input[read &+ 3])]
                invalid |= a | b | c | d
                let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                output[written] = UInt8(truncatingIfNeeded: group >> 16)
                output[written &+ 1] = UInt8(truncatingIfNeeded: group >> 8)
                output[written &+ 2] = UInt8(truncatingIfNeeded: group)
                read &+= 4
                written &+= 3
            }
        }
        // Valid digits are below 64; the 0xFF of any other character sets the high bits.
        precondition(invalid & 0xC0 == 0, "table image text holds a character that is not base64")
    }

    deinit { storage.deallocate() }

    /// The next little-endian `UInt32`.
    public mutating func readUInt32() -> UInt32 {
        UInt32(littleEndian: read(4).loadUnaligned(as: UInt32.self))
    }

    /// The next `count` bytes, valid while this reader lives.
    public mutating func read(_ count: Int) -> UnsafeRawBufferPointer {
        precondition(count >= 0 && position + count <= storage.count, "table image is shorter than its fields say")
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: storage[position..<(position + count)])
    }
}
