import Foundation
import TollgateVocabularyTables

/// The table image of a vocabulary file, as base64 text: the tables the tokenizers count with,
/// built here with the same table code they use (`TollgateVocabularyTables`), so loading at startup
/// is one linear pass. A test checks that every image equals the tables parsed from its file.
func tableImage(path: String, data: Data, file: String) throws -> String {
    var image = TableImageWriter()
    if path.hasSuffix(".tiktoken") {
        try tiktokenRanks(data, file: file).write(to: &image)
    } else if path.hasSuffix("tokenizer.json") {
        try mergeModelTables(data, file: file).write(to: &image)
    } else {
        throw EmbedError("\(file): no table image for this kind of vocabulary (expected *.tiktoken or tokenizer.json)")
    }
    // Foundation's encoder: the tool is a debug build, and its own loop would take seconds.
    return Data(image.paddedBytes).base64EncodedString()
}

/// `base64-token SP rank` lines into a rank table, in file order (the first of two equal tokens wins).
private func tiktokenRanks(_ data: Data, file: String) throws -> ByteRankTable {
    let table = ByteRankTable.sized(forTiktokenFileOf: data.count)
    for (number, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
        let fields = line.split(separator: UInt8(ascii: " "))
        guard fields.count == 2, let token = Data(base64Encoded: Data(fields[0])), !token.isEmpty,
            let rank = UInt32(String(decoding: fields[1], as: UTF8.self))
        else {
            throw EmbedError("\(file): line \(number + 1) is not '<base64 token> <rank>'")
        }
        token.withUnsafeBytes { _ = table.insert($0.bindMemory(to: UInt8.self), rank: rank) }
    }
    return table
}

/// A Hugging Face byte-level BPE `tokenizer.json` into the tables counting needs.
private func mergeModelTables(_ data: Data, file: String) throws -> MergeModelTables {
    func fail(_ reason: String) -> EmbedError { EmbedError("\(file): \(reason)") }
    let document = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    guard let model = document?["model"] as? [String: Any], let vocabulary = model["vocab"] as? [String: Int],
        let mergeList = model["merges"] as? [Any]
    else { throw fail("no model.vocab or model.merges") }
    let ids = ByteRankTable(capacity: vocabulary.count, arenaBytes: vocabulary.keys.reduce(0) { $0 + $1.utf8.count })
    for (token, id) in vocabulary {
        guard let id = UInt32(exactly: id) else { throw fail("token \(token) has id \(id)") }
        Array(token.utf8).withUnsafeBufferPointer { _ = ids.insert($0, rank: id) }
    }
    func id(_ bytes: [UInt8]) -> UInt32? { bytes.isEmpty ? nil : bytes.withUnsafeBufferPointer { ids.lookup($0.baseAddress!, count: $0.count) } }
    let merges = PairMergeTable(capacity: mergeList.count)
    for (rank, entry) in mergeList.enumerated() {
        let parts: [String]
        if let text = entry as? String {
            parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        } else {
            parts = entry as? [String] ?? []
        }
        guard parts.count == 2, let left = id(Array(parts[0].utf8)), let right = id(Array(parts[1].utf8)),
            let result = id(Array((parts[0] + parts[1]).utf8))
        else { throw fail("merge \(rank + 1) does not join two tokens into a third") }
        merges.insert(left: left, right: right, rank: UInt32(rank), result: result)
    }
    let byteTokens = try (0...255).map { byte in
        guard let token = id(Array(String(ByteLevelAlphabet.scalar(of: UInt8(byte))).utf8)) else { throw fail("no token for byte \(byte)") }
        return token
    }
    var added: [MergeModelTables.AddedToken] = []
    for entry in document?["added_tokens"] as? [[String: Any]] ?? [] {
        guard let id = entry["id"] as? Int, let content = entry["content"] as? String, !content.isEmpty else {
            throw fail("an added_tokens entry lacks id or content")
        }
        added.append(MergeModelTables.AddedToken(id: Int32(id), normalized: entry["normalized"] as? Bool == true, content: Array(content.utf8)))
    }
    return MergeModelTables(byteTokens: byteTokens, merges: merges, addedTokens: added)
}
