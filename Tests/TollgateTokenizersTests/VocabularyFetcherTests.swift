import Foundation
import Testing
import TollgateTokenizers

/// A source that serves fixed bytes and records what was asked for.
struct FixedVocabularySource: VocabularySource {
    let body: Data

    func data(from url: URL) async throws -> Data { body }
}

/// A source whose download always fails.
struct FailingVocabularySource: VocabularySource {
    struct Offline: Error {}

    func data(from url: URL) async throws -> Data { throw Offline() }
}

struct VocabularyFetcherTests {
    @Test("a checksum mismatch installs nothing and says what was expected")
    func checksumMismatch() async throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let fetcher = VocabularyFetcher(cacheDirectory: cache.url, source: FixedVocabularySource(body: Data("IQ== 0\n".utf8)))
        let error = try await #require(throws: TokenizerError.self) { try await fetcher.fetch(.o200kBase) }
        #expect(error.kind == .checksumMismatch)
        #expect(error.description.contains(TokenEncoding.o200kBase.sha256))
        #expect(!FileManager.default.fileExists(atPath: cache.url.appendingPathComponent("o200k_base.tiktoken").path))
    }

    @Test("a failed download is reported with the URL")
    func downloadFailure() async throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let fetcher = VocabularyFetcher(cacheDirectory: cache.url, source: FailingVocabularySource())
        let error = try await #require(throws: TokenizerError.self) { try await fetcher.fetch(.cl100kBase) }
        #expect(error.kind == .fetchFailed)
        #expect(error.description.contains(TokenEncoding.cl100kBase.officialURL))
    }

    @Test("official URLs and pinned checksums")
    func officialSources() {
        #expect(TokenEncoding.o200kBase.officialURL == "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken")
        #expect(TokenEncoding.deepseekV3.officialURL.hasPrefix("https://huggingface.co/deepseek-ai/DeepSeek-V3/"))
        #expect(TokenEncoding.allCases.allSatisfy { $0.sha256.count == 64 })
    }

    // The repository's tokenizers/ folder stands in for the publishers: same files, same checksums.
    @Test("file:// download verifies, installs into the cache layout, and the locator then loads it")
    func installFromFileURL() async throws {
        let shared = RepositoryTokenizers.folder
        let cacheHome = try TemporaryDirectory()
        defer { cacheHome.remove() }
        let environment = ["XDG_CACHE_HOME": cacheHome.url.path]
        let cache = VocabularyLocator.cacheDirectory(environment: environment)
        let fetcher = VocabularyFetcher(cacheDirectory: cache, source: URLSessionVocabularySource()) { encoding in
            shared.appendingPathComponent(encoding.relativePath)
        }
        let installed = try await fetcher.fetchAll()
        #expect(installed.map(\.path) == TokenEncoding.allCases.map { cache.appendingPathComponent($0.relativePath).path })
        let locator = VocabularyLocator(environment: environment)
        #expect(
            try locator.locate(.deepseekV3) == VocabularyOrigin(kind: .cache, file: cache.appendingPathComponent("deepseek-v3/tokenizer.json").path)
        )
        let loaded = try locator.load(.cl100kBase)
        #expect(loaded.origin.kind == .cache)
        #expect(loaded.tokenizer.count("hello world") == 2)
    }
}
