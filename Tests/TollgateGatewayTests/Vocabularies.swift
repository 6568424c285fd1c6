import Foundation
import TollgateRelaySim
import TollgateTokenizers

/// The shared vocabularies (never copied into the repo): `TOLLGATE_TOKENIZER_DIR`, else the first
/// `shared/tokenizers` found walking up from this file.
enum Vocabularies {
    static let directory: URL? = {
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
    static let available = directory != nil
    static let missing = "the shared vocabularies are required: set TOLLGATE_TOKENIZER_DIR or place them in ../shared/tokenizers"
    static let registry = TokenizerRegistry(locator: VocabularyLocator(searchDirectories: directory.map { [$0] } ?? []))
    /// The simulator counts usage with the same tokenizers, as a real relay would with its own.
    static let simulatorCounter: SimulatorTokenCounter = { model, text in
        (try? registry.counter(forModel: model).count(text)) ?? SimulatedText.defaultTokenCount(model: model, text: text)
    }
}
