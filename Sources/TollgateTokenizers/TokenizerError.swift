/// Everything that can go wrong loading vocabularies, resolving names or counting input files.
///
/// An opaque struct (not an enum) so new kinds never break callers; `description` is the full
/// message saying what is wrong and what to do, in the domain's words. Where the remedy is a
/// command (fetching vocabularies, naming a folder), `remedy` says which, and the edge showing the
/// error (the CLI, the gateway's `/readyz`) appends it in its own words to `facts`.
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

    /// What can be done about a failure, named by each edge in its own syntax.
    public enum Remedy: String, Sendable, Hashable, CaseIterable {
        /// Download the published file again (a corrupt or truncated vocabulary).
        case redownload = "Download the published file again."
        /// Download the published vocabularies (an unreadable file in a vocabulary folder).
        case fetchVocabularies = "download the published vocabularies"
        /// Retry the download.
        case retryFetch = "Retry the download, or check the URL/proxy."
        /// Download the file into the cache, or name a folder that holds it.
        case fetchOrName = "Download it into the cache, or name a folder that holds it."
        /// Replace a file that isn't the published one, or remove it.
        case replaceWithPublished =
            "Replace it with the published file (downloaded and verified by the fetcher), or remove it to count with the built-in vocabulary; nothing falls back on its own."
        /// Say which one tokenizer to count with: a model or an encoding.
        case modelOrEncoding = "give exactly one of a model or an encoding"
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// The full message.
    public let description: String
    /// What is wrong, without the remedy.
    public let facts: String
    /// The remedy an edge words its own way, when there is one.
    public let remedy: Remedy?

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
        facts = description
        remedy = nil
    }

    /// `facts` then the remedy in the domain's words (`facts` ends with its own separator); a
    /// missing choice reads remedy first (`give exactly one of … (encodings: …)`).
    init(_ kind: Kind, facts: String, remedy: Remedy) {
        self.kind = kind
        self.facts = facts
        self.remedy = remedy
        description = remedy == .modelOrEncoding ? remedy.rawValue + " " + facts : facts + remedy.rawValue
    }
}
