extension ByteRankTable {
    /// Marks a rank-table section ("RNK1").
    static let imageTag: UInt32 = 0x314B_4E52

    /// Appends this table to `image`: the slot count, then each occupied slot in slot order (its
    /// index, rank, and length | tag), then the keys' bytes in the same order.
    public func write(to image: inout TableImageWriter) {
        image.write(Self.imageTag)
        image.write(UInt32(mask + 1))
        image.write(UInt32(count))
        image.write(UInt32(arenaCount))
        for index in 0...mask where slots[index] != 0 {
            image.write(UInt32(index))
            image.write(ranks[index])
            image.write(UInt32(truncatingIfNeeded: slots[index]))
        }
        for index in 0...mask where slots[index] != 0 {
            let slot = slots[index]
            image.write(bytes: UnsafeBufferPointer(start: arena + Int(slot >> 32), count: Int(slot >> 16 & 0xFFFF)))
        }
    }

    /// Reads a table written by ``write(to:)``: one linear pass that sets each slot where the
    /// build put it, with no hashing and no probing. The keys are laid out in slot order.
    public convenience init(image: inout TableImageReader) {
        precondition(image.readUInt32() == Self.imageTag, "not a rank-table image")
        let slotCount = Int(image.readUInt32())
        let entryCount = Int(image.readUInt32())
        let arenaBytes = Int(image.readUInt32())
        self.init(slotCount: slotCount, arenaBytes: arenaBytes)
        let entries = image.read(entryCount * 12)
        let keys = image.read(arenaBytes)
        if arenaBytes > 0 { UnsafeMutableRawPointer(arena).copyMemory(from: keys.baseAddress!, byteCount: arenaBytes) }
        var offset = 0
        for entry in 0..<entryCount {
            let index = Int(UInt32(littleEndian: entries.loadUnaligned(fromByteOffset: entry &* 12, as: UInt32.self)))
            let rank = UInt32(littleEndian: entries.loadUnaligned(fromByteOffset: entry &* 12 &+ 4, as: UInt32.self))
            let lengthAndTag = UInt32(littleEndian: entries.loadUnaligned(fromByteOffset: entry &* 12 &+ 8, as: UInt32.self))
            precondition(index <= mask && slots[index] == 0 && lengthAndTag >> 16 != 0, "rank-table image entry \(entry) is malformed")
            slots[index] = UInt64(offset) << 32 | UInt64(lengthAndTag)
            ranks[index] = rank
            offset &+= Int(lengthAndTag >> 16)
        }
        precondition(offset == arenaBytes, "rank-table image keys do not add up to its arena")
        arenaCount = arenaBytes
        count = entryCount
    }

    /// Whether both tables hold the same tokens with the same ranks (whatever their layout).
    public func hasSameEntries(as other: ByteRankTable) -> Bool {
        guard count == other.count else { return false }
        for index in 0...mask where slots[index] != 0 {
            let slot = slots[index]
            guard other.lookup(arena + Int(slot >> 32), count: Int(slot >> 16 & 0xFFFF)) == ranks[index] else { return false }
        }
        return true
    }
}
