import Foundation

extension UUID {
    /// A time-ordered (version 7, RFC 9562) UUID: the Unix time in milliseconds, then 74 random bits
    /// from the system generator, which on Linux is one `getrandom` call.
    ///
    /// Why time-ordered: request ids are the ledger's unique `request_id` index, and random (version 4)
    /// ids land anywhere in it, touching a different page per insert; an insert of a random id cost
    /// ~5 µs against ~0.5 µs for an ordered one at 100,000 entries, and the gap grows with the
    /// ledger. Ids made in the same millisecond still differ in their 74 random bits.
    /// Why not `UUID()`: on Linux it opens `/dev/urandom`, reads 16 bytes and closes it again, three
    /// system calls for every request id, seen in the gateway's profile as one `close` per stream.
    static func timeOrdered(at instant: Date) -> UUID {
        var generator = SystemRandomNumberGenerator()
        var bits = (generator.next() as UInt64, generator.next() as UInt64)
        let millis = UInt64(max(0, (instant.timeIntervalSince1970 * 1000).rounded(.down)))
        return withUnsafeMutableBytes(of: &bits) { bytes in
            for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - index))) }
            bytes[6] = (bytes[6] & 0x0F) | 0x70  // version 7
            bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
            return UUID(uuid: bytes.loadUnaligned(as: uuid_t.self))
        }
    }
}
