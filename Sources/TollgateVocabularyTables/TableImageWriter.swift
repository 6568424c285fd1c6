/// Builds a table image: the flat tables of a vocabulary serialised at build time (by
/// `tollgate-embed`) so that loading is one linear pass instead of parsing, hashing and inserting.
///
/// Fields are little-endian. A string literal holds the image as standard base64 of
/// ``paddedBytes`` (no `=`), which ``TableImageReader`` decodes.
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

    /// The image rounded up to a multiple of three bytes with zeros, so its base64 has no `=`
    /// padding; readers never reach the zeros because every field says its own length.
    public var paddedBytes: [UInt8] {
        bytes + [UInt8](repeating: 0, count: (3 - bytes.count % 3) % 3)
    }
}
