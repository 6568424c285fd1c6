import Foundation
import TollgateVocabularyTables

extension HuggingFaceEngine {
    /// The pre-tokenizer patterns ``DeepSeekScanner`` implements, in order; a `tokenizer.json` with
    /// any other pre-tokenizer is rejected rather than silently miscounted.
    static let supportedSplitPatterns = [
        #"\p{N}{1,3}"#,
        "[一-龥぀-ゟ゠-ヿ]+",
        ##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\##r\##n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\##r\##n]*|\s*[\##r\##n]+|\s+(?!\S)|\s+"##,
    ]

    /// Parses a Hugging Face `tokenizer.json` whose model is byte-level BPE with DeepSeek-V3's
    /// pre-tokenizer. The big `model.vocab` and `model.merges` are read with
    /// ``VocabularyJSONReader`` straight into flat tables, keyed by the tokens' byte-level text as
    /// written (joining two tokens' text is the text of their join, so no conversion is needed);
    /// the small sections go through Foundation.
    static func load(_ data: Data, fileDescription: String) throws -> HuggingFaceEngine {
        HuggingFaceEngine(tables: try readTables(data, fileDescription: fileDescription))
    }

    /// What ``load(_:fileDescription:)`` counts with, read from the file (the build-time image
    /// holds the same tables, which a test checks).
    static func readTables(_ data: Data, fileDescription: String) throws -> MergeModelTables {
        func fail(_ reason: String) -> TokenizerError {
            TokenizerError(.malformedVocabulary, facts: "\(fileDescription): \(reason). ", remedy: .redownload)
        }
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            let document = try readDocument(bytes, fail: fail)
            guard let model = document.model, model.type == "BPE" else { throw fail("\"model\" is not a BPE model") }
            guard let vocabulary = model.vocabulary, let merges = model.merges else { throw fail("\"model\" lacks \"vocab\" or \"merges\"") }
            try checkPreTokenizer(try foundationJSON(data, document.sections["pre_tokenizer"]), fail: fail)
            let ids = try readVocabulary(bytes, vocabulary, fail: fail)
            var byteTokens = [UInt32](repeating: 0, count: 256)
            for byte in 0...255 {
                let text = Array(String(ByteLevelAlphabet.scalar(of: UInt8(byte))).utf8)
                guard let id = text.withUnsafeBufferPointer({ ids.lookup($0.baseAddress!, count: $0.count) }) else {
                    throw fail("vocabulary lacks the token for byte \(byte)")
                }
                byteTokens[byte] = id
            }
            let mergeTable = try readMerges(bytes, merges, ids: ids, fail: fail)
            let added = try readAddedTokens(try foundationJSON(data, document.sections["added_tokens"]), fail: fail)
            return MergeModelTables(byteTokens: byteTokens, merges: mergeTable, addedTokens: added)
        }
    }

    /// Where a JSON container is, and how many members or elements it has (tables are sized exactly).
    typealias Section = (range: Range<Int>, count: Int)

    /// What one pass over the document finds: `model.type`, where `model.vocab` and `model.merges` are.
    struct ModelSections {
        var type: String?
        var vocabulary: Section?
        var merges: Section?
    }

    /// One pass checking the whole document is JSON, noting the small top-level sections Foundation
    /// parses and the model's big ones.
    private static func readDocument(
        _ bytes: UnsafeBufferPointer<UInt8>,
        fail: (String) -> TokenizerError
    ) throws
        -> (sections: [String: Range<Int>], model: ModelSections?)
    {
        var reader = VocabularyJSONReader(bytes)
        var sections: [String: Range<Int>] = [:]
        var model: ModelSections?
        do {
            if let first = reader.peek(), first == UInt8(ascii: "[") || first == UInt8(ascii: "\"") {
                throw fail("top level is not a JSON object")
            }
            try reader.forEachMember { reader, key in
                let next = reader.peek()
                let start = reader.position
                let name = String(decoding: key, as: UTF8.self)
                if name == "model", next == UInt8(ascii: "{") {
                    model = try readModel(&reader)
                } else {
                    try reader.skipValue()
                }
                if ["model", "pre_tokenizer", "added_tokens"].contains(name) { sections[name] = start..<reader.position }
            }
            if reader.peek() != nil { throw VocabularyJSONReader.Failure(reason: "content after the top-level object at byte \(reader.position)") }
        } catch let failure as VocabularyJSONReader.Failure {
            throw fail("not valid JSON (\(failure.reason))")
        }
        return (sections, model)
    }

    private static func readModel(_ reader: inout VocabularyJSONReader) throws -> ModelSections {
        var model = ModelSections()
        try reader.forEachMember { reader, key in
            let next = reader.peek()
            let start = reader.position
            switch String(decoding: key, as: UTF8.self) {
            case "type" where next == UInt8(ascii: "\""):
                var value: [UInt8] = []
                try reader.readString(into: &value)
                model.type = String(decoding: value, as: UTF8.self)
            case "vocab" where next == UInt8(ascii: "{"):
                var count = 0
                try reader.forEachMember { reader, _ in
                    count += 1
                    try reader.skipValue()
                }
                model.vocabulary = (start..<reader.position, count)
            case "merges" where next == UInt8(ascii: "["):
                var count = 0
                try reader.forEachElement { reader in
                    count += 1
                    try reader.skipValue()
                }
                model.merges = (start..<reader.position, count)
            default:
                try reader.skipValue()
            }
        }
        return model
    }

    /// Token text → id for every entry of `model.vocab` (added tokens listed again there are kept
    /// too: BPE never forms them, so they are never looked up).
    private static func readVocabulary(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ section: Section,
        fail: (String) -> TokenizerError
    ) throws -> ByteRankTable {
        let ids = ByteRankTable(capacity: section.count, arenaBytes: section.range.count)
        var reader = VocabularyJSONReader(bytes, from: section.range.lowerBound)
        var key: [UInt8] = []
        var more = try reader.enter(UInt8(ascii: "{"))
        while more {
            try reader.readString(into: &key)
            try reader.expect(UInt8(ascii: ":"))
            guard let id = reader.readNonNegativeInteger(), !key.isEmpty, key.count < 0x10000 else {
                throw fail("vocabulary entry \"\(String(decoding: key, as: UTF8.self))\" has no non-negative integer id")
            }
            key.withUnsafeBufferPointer { _ = ids.insert($0, rank: id) }
            more = try reader.next(closing: UInt8(ascii: "}"))
        }
        return ids
    }

    /// The merge list: each pair of ids with its rank and the id it merges into. An entry is
    /// `"A B"` (one space: byte-level text never holds a raw space) or `["A", "B"]`.
    private static func readMerges(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ section: Section,
        ids: ByteRankTable,
        fail: (String) -> TokenizerError
    ) throws -> PairMergeTable {
        let merges = PairMergeTable(capacity: section.count)
        var reader = VocabularyJSONReader(bytes, from: section.range.lowerBound)
        var text: [UInt8] = []
        var second: [UInt8] = []
        var rank: UInt32 = 0
        var more = try reader.enter(UInt8(ascii: "["))
        while more {
            // Built only on failure: a message per merge would cost more than the merge itself.
            func broken() -> TokenizerError { fail("merge \(rank + 1) does not join two vocabulary tokens into a third") }
            let split: Int
            if reader.peek() == UInt8(ascii: "\"") {
                try reader.readString(into: &text)
                guard let space = text.firstIndex(of: UInt8(ascii: " ")), text.lastIndex(of: UInt8(ascii: " ")) == space else { throw broken() }
                text.remove(at: space)
                split = space
            } else if reader.peek() == UInt8(ascii: "[") {
                var parts = 0
                try reader.forEachElement { reader in
                    guard reader.peek() == UInt8(ascii: "\""), parts < 2 else { throw broken() }
                    if parts == 0 { try reader.readString(into: &text) } else { try reader.readString(into: &second) }
                    parts += 1
                }
                guard parts == 2 else { throw broken() }
                split = text.count
                text.append(contentsOf: second)
            } else {
                throw broken()
            }
            let found = text.withUnsafeBufferPointer { buffer -> (UInt32, UInt32, UInt32)? in
                let base = buffer.baseAddress!
                guard split > 0, split < buffer.count, let left = ids.lookup(base, count: split),
                    let right = ids.lookup(base + split, count: buffer.count - split),
                    let result = ids.lookup(base, count: buffer.count)
                else { return nil }
                return (left, right, result)
            }
            guard let (left, right, result) = found else { throw broken() }
            merges.insert(left: left, right: right, rank: rank, result: result)
            rank += 1
            more = try reader.next(closing: UInt8(ascii: "]"))
        }
        return merges
    }

    /// A small section parsed by Foundation (nil when absent).
    private static func foundationJSON(_ data: Data, _ range: Range<Int>?) throws -> Any? {
        guard let range else { return nil }
        let start = data.startIndex
        return try JSONSerialization.jsonObject(with: data[(start + range.lowerBound)..<(start + range.upperBound)], options: .fragmentsAllowed)
    }

    private static func checkPreTokenizer(_ value: Any?, fail: (String) -> TokenizerError) throws {
        let steps = (value as? [String: Any])?["pretokenizers"] as? [[String: Any]] ?? []
        let patterns = steps.compactMap { (($0["pattern"] as? [String: Any])?["Regex"]) as? String }
        let splitsIsolated = steps.filter { $0["type"] as? String == "Split" }
            .allSatisfy { $0["behavior"] as? String == "Isolated" && $0["invert"] as? Bool == false }
        let byteLevel =
            steps.last.map {
                $0["type"] as? String == "ByteLevel" && $0["use_regex"] as? Bool == false
                    && $0["add_prefix_space"] as? Bool == false
            } ?? false
        guard patterns == supportedSplitPatterns, splitsIsolated, byteLevel, steps.count == 4 else {
            throw fail("unsupported \"pre_tokenizer\" (only DeepSeek-V3's Split×3 + ByteLevel sequence is implemented)")
        }
    }

    private static func readAddedTokens(_ value: Any?, fail: (String) -> TokenizerError) throws -> [MergeModelTables.AddedToken] {
        var tokens: [MergeModelTables.AddedToken] = []
        for entry in value as? [[String: Any]] ?? [] {
            guard let id = entry["id"] as? Int, let content = entry["content"] as? String, !content.isEmpty else {
                throw fail("an \"added_tokens\" entry lacks \"id\" or \"content\"")
            }
            let flags = ["lstrip", "rstrip", "single_word"].filter { entry[$0] as? Bool == true }
            guard flags.isEmpty else {
                throw fail("added token \"\(content)\" uses \(flags.joined(separator: ", ")), which is not supported")
            }
            tokens.append(MergeModelTables.AddedToken(id: Int32(id), normalized: entry["normalized"] as? Bool == true, content: Array(content.utf8)))
        }
        return tokens
    }
}
