import Foundation
import TollgateRelaySim
import TollgateTokenizers

/// The shared vocabularies the tests use, never copied into the repo: `TOLLGATE_TOKENIZER_DIR`,
/// else the first `shared/tokenizers` found walking up from this file (from a clone at
/// /work/main or a worktree under /work/dev alike, that is /work/shared/tokenizers).
public enum SharedTokenizerData {
    /// The directory holding `o200k_base.tiktoken` and the other shared files, if there is one.
    public static let directory: URL? = {
        if let path = ProcessInfo.processInfo.environment["TOLLGATE_TOKENIZER_DIR"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        var ancestor = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while ancestor.path != "/" {
            for candidate in ["shared/tokenizers", "../shared/tokenizers"] {
                let folder = ancestor.appendingPathComponent(candidate, isDirectory: true).standardizedFileURL
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("o200k_base.tiktoken").path) { return folder }
            }
            ancestor = ancestor.deletingLastPathComponent()
        }
        return nil
    }()

    /// Whether the shared vocabularies were found; tests that need them are skipped otherwise.
    public static let available = directory != nil
    /// Why such a test was skipped, and what to do about it.
    public static let missing = "the shared vocabularies are required: set TOLLGATE_TOKENIZER_DIR or place them in ../shared/tokenizers"

    /// One registry for the whole test run, so each vocabulary is parsed once.
    public static let registry = TokenizerRegistry(locator: VocabularyLocator(searchDirectories: directory.map { [$0] } ?? []))

    /// The simulator counts usage with the same tokenizers, as a real relay would with its own.
    public static let simulatorCounter: SimulatorTokenCounter = { model, text in
        (try? registry.counter(forModel: model).count(text)) ?? SimulatedText.defaultTokenCount(model: model, text: text)
    }
}
