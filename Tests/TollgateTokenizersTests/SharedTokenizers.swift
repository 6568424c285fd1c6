import Foundation
import Testing
import TollgateTestSupport
import TollgateTokenizers

/// The shared vocabularies and conformance corpus, never copied into the repo (located by
/// `SharedTokenizerData`, once for every test target).
enum SharedTokenizers {
    static let directory: URL? = SharedTokenizerData.directory.flatMap { directory in
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("conformance.jsonl").path) ? directory : nil
    }

    /// Whether the shared data is present; tests that need it are skipped (with this reason) otherwise.
    static let isAvailable = directory != nil
    static let missingReason: Comment = "shared/tokenizers not found: set TOLLGATE_TOKENIZER_DIR to the vocabulary directory"

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
        guard let directory,
              let data = try? Data(contentsOf: directory.appendingPathComponent("conformance.jsonl")) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let text = object["text"] as? String, let id = object["id"] as? Int else { return nil }
            var counts: [TokenEncoding: Int] = [:]
            for encoding in TokenEncoding.allCases { counts[encoding] = object[encoding.rawValue] as? Int }
            return Sample(id: id, text: text, counts: counts)
        }
    }()
}
