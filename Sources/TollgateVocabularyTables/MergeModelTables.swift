/// What counting with a Hugging Face byte-level BPE model needs once its `tokenizer.json` is read:
/// the token of each byte, the merges by pair of tokens, and the added tokens in file order.
///
/// The token → id vocabulary is not kept: it only serves to turn the merge list into pairs of ids.
public struct MergeModelTables: Sendable {
    /// Marks a merge-model image ("BPE1").
    static let imageTag: UInt32 = 0x3145_5042

    /// An `added_tokens` entry: its id, whether it matches normalized text, and its text's bytes.
    public struct AddedToken: Sendable, Equatable {
        /// The token id.
        public let id: Int32
        /// `normalized: true` in the file: matched only in the gaps between raw added tokens.
        public let normalized: Bool
        /// The token's text, UTF-8.
        public let content: [UInt8]

        /// Creates an entry.
        public init(id: Int32, normalized: Bool, content: [UInt8]) {
            self.id = id
            self.normalized = normalized
            self.content = content
        }
    }

    /// Token id of each byte, indexed by byte (the byte-level alphabet).
    public let byteTokens: [UInt32]
    /// Merges by pair of token ids.
    public let merges: PairMergeTable
    /// The added tokens, in file order.
    public let addedTokens: [AddedToken]

    /// Creates the tables from their parts.
    public init(byteTokens: [UInt32], merges: PairMergeTable, addedTokens: [AddedToken]) {
        precondition(byteTokens.count == 256, "a byte-level model has one token per byte")
        self.byteTokens = byteTokens
        self.merges = merges
        self.addedTokens = addedTokens
    }

    /// Reads tables written by ``write(to:)``.
    public init(image: inout TableImageReader) {
        precondition(image.readUInt32() == Self.imageTag, "not a merge-model image")
        let bytes = image.read(256 * 4)
        byteTokens = (0..<256).map { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
        merges = PairMergeTable(image: &image)
        let count = Int(image.readUInt32())
        var added: [AddedToken] = []
        added.reserveCapacity(count)
        for _ in 0..<count {
            let id = Int32(bitPattern: image.readUInt32())
            let normalized = image.readUInt32() != 0
            let length = Int(image.readUInt32())
            added.append(AddedToken(id: id, normalized: normalized, content: Array(image.read(length))))
        }
        addedTokens = added
    }

    /// Appends these tables to `image`.
    public func write(to image: inout TableImageWriter) {
        image.write(Self.imageTag)
        for token in byteTokens { image.write(token) }
        merges.write(to: &image)
        image.write(UInt32(addedTokens.count))
        for token in addedTokens {
            image.write(UInt32(bitPattern: token.id))
            image.write(UInt32(token.normalized ? 1 : 0))
            image.write(UInt32(token.content.count))
            image.write(bytes: token.content)
        }
    }
}
