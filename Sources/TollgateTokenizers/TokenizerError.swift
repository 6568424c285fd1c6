/// Everything that can go wrong loading vocabularies, resolving names or counting input files.
///
/// An opaque struct (not an enum) so new kinds never break callers; `description` is the full,
/// user-facing message saying what is wrong and what to do.
public struct TokenizerError: Error, CustomStringConvertible, Sendable {
    /// The category of a ``TokenizerError``, safe to use as a metric label.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name for the kind.
        public let description: String

        /// A vocabulary file is in none of the searched directories, or a named folder does not exist.
        public static let vocabularyNotFound = Kind(description: "vocabulary-not-found")
        /// A vocabulary file exists but cannot be parsed.
        public static let malformedVocabulary = Kind(description: "malformed-vocabulary")
        /// Downloaded bytes, or a file in a vocabulary folder, do not have the published SHA-256.
        public static let checksumMismatch = Kind(description: "checksum-mismatch")
        /// A download or the write into the cache failed.
        public static let fetchFailed = Kind(description: "fetch-failed")
        /// An encoding name that is not one of ``TokenEncoding``.
        public static let unknownEncoding = Kind(description: "unknown-encoding")
        /// A line of a JSONL input is not an object with a string `text`.
        public static let malformedInput = Kind(description: "malformed-input")
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// The full message.
    public let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
