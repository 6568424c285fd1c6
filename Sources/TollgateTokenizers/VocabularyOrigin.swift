/// Where a loaded vocabulary came from, as `serve`'s banner and `/readyz` report it.
public struct VocabularyOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The step of the lookup order that supplied the file.
    public enum Kind: String, Sendable, Hashable {
        /// The folder passed as `--tokenizer-dir`.
        case tokenizerDirectory = "--tokenizer-dir"
        /// The folder named by `TOLLGATE_TOKENIZER_DIR`.
        case environment = "TOLLGATE_TOKENIZER_DIR"
        /// The per-user cache `tollgate tokenizers fetch` fills.
        case cache
        /// Compiled into the binary (the package's `tokenizers/` folder).
        case builtIn = "built-in"
    }

    /// Which lookup step supplied it.
    public let kind: Kind
    /// The file read, for folder sources; nil for the built-in copy.
    public let file: String?

    /// The vocabulary compiled into the binary.
    public static let builtIn = VocabularyOrigin(kind: .builtIn, file: nil)

    /// Creates an origin.
    public init(kind: Kind, file: String?) {
        self.kind = kind
        self.file = file
    }

    /// `built-in`, or the step and the file (`--tokenizer-dir /srv/vocab/o200k_base.tiktoken`).
    public var description: String {
        file.map { "\(kind.rawValue) \($0)" } ?? kind.rawValue
    }
}
