import Foundation

/// A loaded vocabulary: counts and encodes text exactly as the provider's reference tokenizer
/// (tiktoken 0.14 `encode(text, disallowed_special=())`, Hugging Face `tokenizers`
/// `encode(text, add_special_tokens=False)`). Immutable and safe to share across tasks.
public struct Tokenizer: Sendable {
    enum Engine: Sendable {
        case tiktoken(TiktokenEngine)
        case huggingFace(HuggingFaceEngine)
    }

    /// Which vocabulary this is.
    public let encoding: TokenEncoding
    let engine: Engine
    /// Caches lent to this tokenizer's incremental counters (shared by copies of this value).
    let incrementalCaches = PieceCountCachePool()

    /// Texts at least this long get a pre-token count cache for the call; shorter ones would not
    /// repay clearing it.
    static let cacheThreshold = 8 * 1024

    /// Parses vocabulary `data` (the contents of ``TokenEncoding/relativePath``) for `encoding`;
    /// `source` names the file in error messages.
    public init(encoding: TokenEncoding, vocabulary data: Data, source: String) throws {
        self.encoding = encoding
        switch encoding {
        case .o200kBase: engine = .tiktoken(try TiktokenEngine.load(data, pattern: .o200k, fileDescription: source))
        case .cl100kBase: engine = .tiktoken(try TiktokenEngine.load(data, pattern: .cl100k, fileDescription: source))
        case .deepseekV3: engine = .huggingFace(try HuggingFaceEngine.load(data, fileDescription: source))
        }
    }

    /// Loads `encoding` from its file in `directory` (the `shared/tokenizers` layout).
    public init(encoding: TokenEncoding, directory: URL) throws {
        let file = directory.appendingPathComponent(encoding.relativePath)
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw TokenizerError(.vocabularyNotFound, facts: "cannot read \(file.path) (\(error.localizedDescription)); ", remedy: .fetchVocabularies)
        }
        try self.init(encoding: encoding, vocabulary: data, source: file.path)
    }

    /// The token ids of `text`.
    public func encode(_ text: String) -> [Int] {
        var text = text
        return text.withUTF8 { bytes in
            switch engine {
            case .tiktoken(let engine): engine.encode(bytes)
            case .huggingFace(let engine): engine.encode(bytes)
            }
        }
    }

    /// The number of tokens in `text`; always equal to `encode(text).count`, without building ids.
    public func count(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { count(utf8: $0) }
    }

    /// The number of tokens in UTF-8 `bytes` (which must be valid UTF-8).
    public func count(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let cache = bytes.count >= Self.cacheThreshold ? PieceCountCache(slots: 4096) : nil
        return count(utf8: bytes, cache: cache)
    }

    func count(utf8 bytes: UnsafeBufferPointer<UInt8>, cache: PieceCountCache?) -> Int {
        switch engine {
        case .tiktoken(let engine): engine.count(bytes, cache: cache)
        case .huggingFace(let engine): engine.count(bytes, cache: cache)
        }
    }

    func stableCount(utf8 bytes: UnsafeBufferPointer<UInt8>, cache: PieceCountCache?) -> StableCount {
        switch engine {
        case .tiktoken(let engine): engine.stableCount(bytes, cache: cache)
        case .huggingFace(let engine): engine.stableCount(bytes, cache: cache)
        }
    }

    /// A counter for text that arrives in pieces (streamed deltas).
    public func makeIncrementalCounter() -> IncrementalTokenCounter {
        IncrementalTokenCounter(tokenizer: self)
    }
}
