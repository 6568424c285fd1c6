extension PairMergeTable {
    /// Marks a merge-table section ("MRG1").
    static let imageTag: UInt32 = 0x3147_524D

    /// Appends this table to `image`: the slot count, then each occupied slot in slot order (its
    /// index, key and value).
    public func write(to image: inout TableImageWriter) {
        image.write(Self.imageTag)
        image.write(UInt32(mask + 1))
        image.write(UInt32(count))
        for index in 0...mask where keys[index] != 0 {
            image.write(UInt32(index))
            image.write(keys[index])
            image.write(values[index])
        }
    }

    /// Reads a table written by ``write(to:)`` in one linear pass, with no hashing and no probing.
    public convenience init(image: inout TableImageReader) {
        precondition(image.readUInt32() == Self.imageTag, "not a merge-table image")
        let slotCount = Int(image.readUInt32())
        let entryCount = Int(image.readUInt32())
        self.init(slotCount: slotCount)
        let entries = image.read(entryCount * 20)
        for entry in 0..<entryCount {
            let index = Int(UInt32(littleEndian: entries.loadUnaligned(fromByteOffset: entry &* 20, as: UInt32.self)))
            let key = UInt64(littleEndian: entries.loadUnaligned(fromByteOffset: entry &* 20 &+ 4, as: UInt64.self))
            precondition(index <= mask && keys[index] == 0 && key != 0, "merge-table image entry \(entry) is malformed")
            keys[index] = key
            values[index] = UInt64(littleEndian: entries.loadUnaligned(fromByteOffset: entry &* 20 &+ 12, as: UInt64.self))
        }
        count = entryCount
    }

    /// Whether both tables hold the same merges (pair → priority and result), whatever their layout.
    public func hasSameEntries(as other: PairMergeTable) -> Bool {
        guard count == other.count else { return false }
        for index in 0...mask where keys[index] != 0 {
            let pair = keys[index] &- 1
            guard other.lookup(left: UInt32(pair >> 32), right: UInt32(truncatingIfNeeded: pair)) == values[index] else { return false }
        }
        return true
    }
}
