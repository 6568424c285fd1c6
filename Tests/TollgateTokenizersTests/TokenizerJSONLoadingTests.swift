import Foundation
import Testing

@testable import TollgateTokenizers

/// The hand-written reader behind DeepSeek-V3's `tokenizer.json`: other valid spellings of the same
/// file load to the same counts, and damage is reported, never half-loaded.
@Suite("tokenizer.json loading")
struct TokenizerJSONLoadingTests {
    static let original: Data = (try? Data(contentsOf: RepositoryTokenizers.folder.appendingPathComponent("deepseek-v3/tokenizer.json"))) ?? Data()
    static let sample = "Tollgate meters 流式 tokens — naïve café, x<｜User｜>y, 12345 \u{1F600}."

    @Test("the same vocabulary re-serialized by Foundation, with [\"A\", \"B\"] merges and escaped characters, counts the same")
    func otherSpelling() throws {
        var root = try #require(try JSONSerialization.jsonObject(with: Self.original) as? [String: Any])
        var model = try #require(root["model"] as? [String: Any])
        let merges = try #require(model["merges"] as? [String])
        model["merges"] = merges.map { $0.split(separator: " ").map(String.init) }
        root["model"] = model
        let respelled = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .withoutEscapingSlashes])
        let escaped = Data(String(decoding: respelled, as: UTF8.self).replacingOccurrences(of: "\"Ġ", with: "\"\\u0120").utf8)
        let reference = try Tokenizer(encoding: .deepseekV3, vocabulary: Self.original, source: "original")
        let other = try Tokenizer(encoding: .deepseekV3, vocabulary: escaped, source: "respelled")
        #expect(other.encode(Self.sample) == reference.encode(Self.sample))
    }

    @Test(
        "damage is a malformed-vocabulary error saying what is wrong",
        arguments: [
            ("truncated", "not valid JSON"),
            ("bad merge", "merge 1 does not join two vocabulary tokens into a third"),
            ("negative id", "has no non-negative integer id"),
            ("bad escape", "not valid JSON (invalid escape"),
        ]
    )
    func damaged(damage: String, reason: String) throws {
        var text = String(decoding: Self.original, as: UTF8.self)
        switch damage {
        case "truncated": text = String(text.prefix(text.count / 2))
        case "bad merge":
            let range = try #require(text.range(of: "\"merges\":["))
            text.insert(contentsOf: "\"Ġ zz_not_a_token\",", at: range.upperBound)
        case "negative id":
            let range = try #require(text.range(of: "\"vocab\":{"))
            text.insert(contentsOf: "\"zz_extra\":-1,", at: range.upperBound)
        default:
            let range = try #require(text.range(of: "\"vocab\":{"))
            text.insert(contentsOf: "\"zz\\q\":1,", at: range.upperBound)
        }
        let error = try #require(throws: TokenizerError.self) {
            try Tokenizer(encoding: .deepseekV3, vocabulary: Data(text.utf8), source: "tokenizer.json")
        }
        #expect(error.kind == .malformedVocabulary)
        #expect(error.description.contains(reason), "\(error)")
    }
}
