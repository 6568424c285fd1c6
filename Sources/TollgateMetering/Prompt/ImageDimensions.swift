/// An image's pixel size, read from the header of a PNG, JPEG, GIF or WebP file.
struct ImageDimensions: Sendable, Hashable {
    /// Width in pixels (at least 1).
    var width: Int
    /// Height in pixels (at least 1).
    var height: Int

    /// The most JPEG segments read before the frame header: each read is constant time, so a
    /// crafted file of empty segments stops here instead of walking megabytes.
    static let jpegSegmentLimit = 4096

    /// The size in `bytes`, or nil when the format is none of the four or the header is cut short
    /// (the caller then assumes the worst case).
    static func read(_ bytes: Base64Bytes) -> ImageDimensions? {
        let size: (Int, Int)?
        if bytes.bytes(at: 0, 8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] {
            size = png(bytes)
        } else if bytes.bytes(at: 0, 2) == [0xFF, 0xD8] {
            size = jpeg(bytes)
        } else if bytes.matches("GIF87a", at: 0) || bytes.matches("GIF89a", at: 0) {
            size = bytes.littleEndian(at: 6, 2).flatMap { width in bytes.littleEndian(at: 8, 2).map { (width, $0) } }
        } else if bytes.matches("RIFF", at: 0), bytes.matches("WEBP", at: 8) {
            size = webp(bytes)
        } else {
            size = nil
        }
        guard let (width, height) = size, width > 0, height > 0 else { return nil }
        return ImageDimensions(width: width, height: height)
    }

    private static func png(_ bytes: Base64Bytes) -> (Int, Int)? {
        guard bytes.matches("IHDR", at: 12), let width = bytes.bigEndian(at: 16, 4), let height = bytes.bigEndian(at: 20, 4) else { return nil }
        return (width, height)
    }

    /// Walks the segments to the first start-of-frame marker, whose header holds the size.
    private static func jpeg(_ bytes: Base64Bytes) -> (Int, Int)? {
        var offset = 2
        for _ in 0..<jpegSegmentLimit {
            guard bytes.byte(at: offset) == 0xFF, var marker = bytes.byte(at: offset + 1) else { return nil }
            // Fill bytes (0xFF runs) may pad a marker.
            while marker == 0xFF {
                offset += 1
                guard let next = bytes.byte(at: offset + 1) else { return nil }
                marker = next
            }
            switch marker {
            case 0xC0...0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF:
                guard let height = bytes.bigEndian(at: offset + 5, 2), let width = bytes.bigEndian(at: offset + 7, 2) else { return nil }
                return (width, height)
            case 0x01, 0xD0...0xD7:
                offset += 2
            case 0xD9, 0xDA:
                return nil  // end of image or scan data before any frame header
            default:
                guard let length = bytes.bigEndian(at: offset + 2, 2), length >= 2 else { return nil }
                offset += 2 + length
            }
        }
        return nil
    }

    /// The three WebP encodings keep the size in different places (lossy VP8, lossless VP8L, extended VP8X).
    private static func webp(_ bytes: Base64Bytes) -> (Int, Int)? {
        if bytes.matches("VP8 ", at: 12) {
            guard bytes.bytes(at: 23, 3) == [0x9D, 0x01, 0x2A], let width = bytes.littleEndian(at: 26, 2), let height = bytes.littleEndian(at: 28, 2)
            else { return nil }
            return (width & 0x3FFF, height & 0x3FFF)
        }
        if bytes.matches("VP8L", at: 12) {
            guard bytes.byte(at: 20) == 0x2F, let packed = bytes.littleEndian(at: 21, 4) else { return nil }
            return ((packed & 0x3FFF) + 1, (packed >> 14 & 0x3FFF) + 1)
        }
        if bytes.matches("VP8X", at: 12) {
            guard let width = bytes.littleEndian(at: 24, 3), let height = bytes.littleEndian(at: 27, 3) else { return nil }
            return (width + 1, height + 1)
        }
        return nil
    }
}
