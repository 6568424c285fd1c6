/// Builds a table image: the flat tables of a vocabulary serialised at build time (by
/// `tollgate-embed`) so that loading is one linear pass instead of parsing, hashing and inserting.
///
/// Fields are little-endian; ``base64`` is the form a Swift string literal can hold.
public struct TableImageWriter {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty image.
    public init() {}

    /// Appends `value`, little-endian.
    public mutating func write(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends `value`, little-endian.
    public mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends raw bytes.
    public mutating func write<Bytes: Sequence>(bytes more: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: more)
    }

    /// The image as standard base64 without padding characters: zero bytes round it up to a
    /// multiple of three, which readers never reach because every field says its own length.
    public var base64: String {
        let alphabet = Array(TableImageReader.base64Alphabet.utf8)
        var padded = bytes
        while padded.count % 3 != 0 { padded.append(0) }
        var text: [UInt8] = []
        text.reserveCapacity(padded.count / 3 * 4)
        var index = 0
        while index < padded.count {
            let group = UInt32(padded[index]) << 16 | UInt32(padded[index + 1]) << 8 | UInt32(padded[index + 2])
            for shift in [18, 12, 6, 0] { text.append(alphabet[Int(group >> UInt32(shift) & 63)]) }
            index += 3
        }
        return String(decoding: text, as: UTF8.self)
    }
}
