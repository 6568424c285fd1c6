import Foundation

extension HuggingFaceEngine {
    /// The pre-tokenizer patterns ``DeepSeekScanner`` implements, in order; a `tokenizer.json` with
    /// any other pre-tokenizer is rejected rather than silently miscounted.
    static let supportedSplitPatterns = [
        #"\p{N}{1,3}"#,
        "[一-龥぀-ゟ゠-ヿ]+",
        ##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\##r\##n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\##r\##n]*|\s*[\##r\##n]+|\s+(?!\S)|\s+"##,
    ]

    /// Parses a Hugging Face `tokenizer.json` whose model is byte-level BPE with DeepSeek-V3's
    /// pre-tokenizer.
    static func load(_ data: Data, fileDescription: String) throws -> HuggingFaceEngine {
        func fail(_ reason: String) -> TokenizerError {
            TokenizerError(.malformedVocabulary, "\(fileDescription): \(reason). "
                           + "Re-download it with `tollgate tokenizers fetch`.")
        }
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw fail("top level is not a JSON object")
            }
            root = object
        } catch let error as TokenizerError {
            throw error
        } catch {
            throw fail("not valid JSON (\(error.localizedDescription))")
        }
        guard let model = root["model"] as? [String: Any], model["type"] as? String == "BPE" else {
            throw fail("\"model\" is not a BPE model")
        }
        guard let vocabulary = model["vocab"] as? [String: Any], let mergeList = model["merges"] as? [Any] else {
            throw fail("\"model\" lacks \"vocab\" or \"merges\"")
        }
        try checkPreTokenizer(root["pre_tokenizer"], fail: fail)
        let alphabet = ByteLevelAlphabet()
        var ids: [[UInt8]: UInt32] = [:]
        ids.reserveCapacity(vocabulary.count)
        for (key, value) in vocabulary {
            guard let id = value as? Int, id >= 0 else {
                throw fail("vocabulary entry \"\(key)\" has no non-negative integer id")
            }
            // Entries outside the byte-level alphabet are added tokens listed again; BPE never forms them.
            if let bytes = alphabet.bytes(of: key) { ids[bytes] = UInt32(id) }
        }
        var byteTokens = [UInt32](repeating: 0, count: 256)
        for byte in 0...255 {
            guard let id = ids[[UInt8(byte)]] else { throw fail("vocabulary lacks the token for byte \(byte)") }
            byteTokens[byte] = id
        }
        let merges = PairMergeTable(capacity: mergeList.count)
        for (rank, entry) in mergeList.enumerated() {
            let parts: [String]
            if let line = entry as? String {
                parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else {
                parts = entry as? [String] ?? []
            }
            guard parts.count == 2, let left = alphabet.bytes(of: parts[0]), let right = alphabet.bytes(of: parts[1]),
                  let leftID = ids[left], let rightID = ids[right], let resultID = ids[left + right] else {
                throw fail("merge \(rank + 1) (\(entry)) does not join two vocabulary tokens into a third")
            }
            merges.insert(left: leftID, right: rightID, rank: UInt32(rank), result: resultID)
        }
        let added = try loadAddedTokens(root["added_tokens"], fail: fail)
        return HuggingFaceEngine(byteTokens: byteTokens, merges: merges, addedTokens: added)
    }

    private static func checkPreTokenizer(_ value: Any?, fail: (String) -> TokenizerError) throws {
        let steps = (value as? [String: Any])?["pretokenizers"] as? [[String: Any]] ?? []
        let patterns = steps.compactMap { (($0["pattern"] as? [String: Any])?["Regex"]) as? String }
        let splitsIsolated = steps.filter { $0["type"] as? String == "Split" }
            .allSatisfy { $0["behavior"] as? String == "Isolated" && $0["invert"] as? Bool == false }
        let byteLevel = steps.last.map {
            $0["type"] as? String == "ByteLevel" && $0["use_regex"] as? Bool == false
                && $0["add_prefix_space"] as? Bool == false
        } ?? false
        guard patterns == supportedSplitPatterns, splitsIsolated, byteLevel, steps.count == 4 else {
            throw fail("unsupported \"pre_tokenizer\" (only DeepSeek-V3's Split×3 + ByteLevel sequence is implemented)")
        }
    }

    private static func loadAddedTokens(_ value: Any?, fail: (String) -> TokenizerError) throws -> AddedTokenMatcher {
        var matcher = AddedTokenMatcher()
        for entry in value as? [[String: Any]] ?? [] {
            guard let id = entry["id"] as? Int, let content = entry["content"] as? String, !content.isEmpty else {
                throw fail("an \"added_tokens\" entry lacks \"id\" or \"content\"")
            }
            let flags = ["lstrip", "rstrip", "single_word"].filter { entry[$0] as? Bool == true }
            guard flags.isEmpty else {
                throw fail("added token \"\(content)\" uses \(flags.joined(separator: ", ")), which is not supported")
            }
            if entry["normalized"] as? Bool == true {
                matcher.normalized.insert(Array(content.utf8), id: Int32(id))
            } else {
                matcher.raw.insert(Array(content.utf8), id: Int32(id))
            }
        }
        return matcher
    }
}

/// GPT-2's byte-level alphabet: each byte is shown as a printable character, bytes that are
/// printable Latin-1 as themselves and the rest as U+0100 onwards, in byte order.
struct ByteLevelAlphabet {
    private var byteOfScalar: [UInt32: UInt8] = [:]

    init() {
        var next: UInt32 = 256
        for byte in 0...255 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            if printable {
                byteOfScalar[UInt32(byte)] = UInt8(byte)
            } else {
                byteOfScalar[next] = UInt8(byte)
                next += 1
            }
        }
    }

    /// The raw bytes a byte-level token string stands for, or nil if it uses other characters.
    func bytes(of token: String) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let byte = byteOfScalar[scalar.value] else { return nil }
            result.append(byte)
        }
        return result.isEmpty ? nil : result
    }
}
