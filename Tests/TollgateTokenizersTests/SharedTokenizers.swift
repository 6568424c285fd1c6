import Foundation
import Testing
import TollgateTestSupport
import TollgateTokenizers

/// The built-in vocabularies, and the conformance corpus that stays outside the repo as test data
/// (located by `SharedTokenizerData`, once for every test target).
enum SharedTokenizers {
    /// Whether the corpus is present; tests that need it are skipped (with this reason) otherwise.
    static let corpusAvailable = SharedTokenizerData.conformanceCorpus != nil
    static let corpusMissing = Comment(rawValue: SharedTokenizerData.corpusMissing)

    /// One registry for the whole test run, so each vocabulary is parsed once.
    static let registry = SharedTokenizerData.registry

    static func tokenizer(_ encoding: TokenEncoding) throws -> Tokenizer {
        try registry.tokenizer(for: encoding)
    }

    /// A line of conformance.jsonl: a text and the reference count per encoding.
    struct Sample: Sendable {
        let id: Int
        let text: String
        let counts: [TokenEncoding: Int]
    }

    static let corpus: [Sample] = {
        guard let file = SharedTokenizerData.conformanceCorpus, let data = try? Data(contentsOf: file) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let text = object["text"] as? String, let id = object["id"] as? Int
            else { return nil }
            var counts: [TokenEncoding: Int] = [:]
            for encoding in TokenEncoding.allCases { counts[encoding] = object[encoding.rawValue] as? Int }
            return Sample(id: id, text: text, counts: counts)
        }
    }()
}
