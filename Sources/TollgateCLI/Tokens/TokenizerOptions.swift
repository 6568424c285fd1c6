import ArgumentParser
import Foundation
import TollgateTokenizers

/// `--tokenizer-dir DIR`: where vocabularies are looked up first (then `TOLLGATE_TOKENIZER_DIR`,
/// then the user cache directory that `tollgate tokenizers fetch` fills, then the built-in copies).
public struct TokenizerOptions: ParsableArguments {
    /// Explicit vocabulary folder.
    @Option(
        name: .customLong("tokenizer-dir"),
        help: "Vocabulary folder overriding the built-in vocabularies (then $TOLLGATE_TOKENIZER_DIR, the user cache, the built-in ones)."
    )
    public var tokenizerDirectory: String?

    /// Creates options (used by argument parsing).
    public init() {}

    /// The lookup order for this invocation.
    public var locator: VocabularyLocator {
        VocabularyLocator(
            explicitDirectory: tokenizerDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) },
            environment: ProcessInfo.processInfo.environment
        )
    }

    /// A registry that loads each vocabulary once, on first use.
    public func registry() -> TokenizerRegistry { TokenizerRegistry(locator: locator) }
}
