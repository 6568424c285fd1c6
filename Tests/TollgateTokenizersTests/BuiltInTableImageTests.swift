import Foundation
import Testing
import TollgateVocabularyTables

@testable import TollgateTokenizers

@Suite("Built-in table images: the tables precomputed at build time equal the tables parsed from the files")
struct BuiltInTableImageTests {
    @Test("a tiktoken image holds exactly the tokens and ranks parsed from its built-in file", arguments: [TokenEncoding.o200kBase, .cl100kBase])
    func rankTables(_ encoding: TokenEncoding) throws {
        let file = try #require(BuiltInVocabulary.data(for: encoding))
        guard case .tiktoken(let parsed) = try Tokenizer(encoding: encoding, vocabulary: file, source: "built-in file").engine,
            case .tiktoken(let precomputed) = try Tokenizer(builtIn: encoding).engine
        else {
            Issue.record("\(encoding.rawValue) is not a tiktoken engine")
            return
        }
        #expect(parsed.ranks.count > 100_000)
        #expect(precomputed.ranks.count == parsed.ranks.count)
        #expect(precomputed.ranks.hasSameEntries(as: parsed.ranks))
        #expect(parsed.ranks.hasSameEntries(as: precomputed.ranks))
    }

    @Test("the DeepSeek-V3 image holds exactly the byte tokens, merges and added tokens parsed from tokenizer.json")
    func mergeModelTables() throws {
        let file = try #require(BuiltInVocabulary.data(for: .deepseekV3))
        let parsed = try HuggingFaceEngine.readTables(file, fileDescription: "built-in tokenizer.json")
        var image = TableImageReader(base64: try #require(BuiltInVocabulary.tableImage(for: .deepseekV3)))
        let precomputed = MergeModelTables(image: &image)
        #expect(parsed.merges.count > 100_000)
        #expect(precomputed.byteTokens == parsed.byteTokens)
        #expect(precomputed.addedTokens == parsed.addedTokens)
        #expect(precomputed.addedTokens.count > 100)
        #expect(precomputed.merges.count == parsed.merges.count)
        #expect(precomputed.merges.hasSameEntries(as: parsed.merges))
        #expect(parsed.merges.hasSameEntries(as: precomputed.merges))
    }

    @Test("the comparison tells tables apart: one rank, one token or one merge different is not the same")
    func comparisonDetectsDifferences() {
        func ranks(_ entries: [(String, UInt32)]) -> ByteRankTable {
            let table = ByteRankTable(capacity: 8, arenaBytes: 64)
            for (token, rank) in entries { Array(token.utf8).withUnsafeBufferPointer { _ = table.insert($0, rank: rank) } }
            return table
        }
        let base = ranks([("a", 0), ("b", 1), ("ab", 2)])
        #expect(base.hasSameEntries(as: ranks([("ab", 2), ("a", 0), ("b", 1)])))
        #expect(!base.hasSameEntries(as: ranks([("a", 0), ("b", 1), ("ab", 3)])))
        #expect(!base.hasSameEntries(as: ranks([("a", 0), ("b", 1), ("ba", 2)])))
        #expect(!base.hasSameEntries(as: ranks([("a", 0), ("b", 1)])))

        func merges(_ entries: [(UInt32, UInt32, UInt32, UInt32)]) -> PairMergeTable {
            let table = PairMergeTable(capacity: 8)
            for (left, right, rank, result) in entries { table.insert(left: left, right: right, rank: rank, result: result) }
            return table
        }
        let pairs = merges([(1, 2, 0, 3), (3, 1, 1, 4)])
        #expect(pairs.hasSameEntries(as: merges([(3, 1, 1, 4), (1, 2, 0, 3)])))
        #expect(!pairs.hasSameEntries(as: merges([(1, 2, 0, 3), (3, 1, 1, 5)])))
        #expect(!pairs.hasSameEntries(as: merges([(1, 2, 0, 3), (3, 1, 2, 4)])))
    }

    @Test("an image round-trips through standard base64: fields, rank table and merge table read back as written")
    func imageRoundTrip() throws {
        let table = ByteRankTable(capacity: 4, arenaBytes: 8)
        for (token, rank) in [("hello", UInt32(7)), (" world", 70_000), ("é", 3)] {
            Array(token.utf8).withUnsafeBufferPointer { _ = table.insert($0, rank: rank) }
        }
        let merges = PairMergeTable(capacity: 4)
        merges.insert(left: 10, right: 20, rank: 0, result: 30)
        var writer = TableImageWriter()
        writer.write(UInt32(0xDEAD_BEEF))
        table.write(to: &writer)
        merges.write(to: &writer)
        writer.write(bytes: [1, 2])
        // Encoded as the build tool does; the reader decodes standard base64.
        let text = Data(writer.paddedBytes).base64EncodedString()
        #expect(!text.contains("="))

        // The reader is non-copyable, so it cannot come out of a `withUnsafeBytes` closure.
        let textBytes = UnsafeMutableRawBufferPointer.allocate(byteCount: text.utf8.count, alignment: 1)
        defer { textBytes.deallocate() }
        textBytes.copyBytes(from: text.utf8)
        var reader = TableImageReader(base64: UnsafeRawBufferPointer(textBytes))
        #expect(reader.readUInt32() == 0xDEAD_BEEF)
        let rankCopy = ByteRankTable(image: &reader)
        let mergeCopy = PairMergeTable(image: &reader)
        #expect(Array(reader.read(2)) == [1, 2])
        #expect(rankCopy.count == 3 && rankCopy.hasSameEntries(as: table))
        #expect(Array(" world".utf8).withUnsafeBufferPointer { rankCopy.lookup($0.baseAddress!, count: $0.count) } == 70_000)
        #expect(mergeCopy.lookup(left: 10, right: 20) == 30 && mergeCopy.lookup(left: 20, right: 10) == .max)
    }
}
