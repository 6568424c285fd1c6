import Foundation
import Testing
import TollgateVocabularies

@testable import TollgateTokenizers

@Suite("Built-in vocabularies and the lookup order")
struct BuiltInVocabularyTests {
    @Test("the built-in bytes are the repository's files, with the SHA-256 of the manifest and of TokenEncoding")
    func builtInBytes() throws {
        let manifest = try String(contentsOf: RepositoryTokenizers.folder.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        var pinned: [String: String] = [:]
        for line in manifest.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            pinned[String(fields[1])] = String(fields[0])
        }
        #expect(Set(BuiltInVocabularies.paths) == Set(TokenEncoding.allCases.map(\.relativePath)))
        for encoding in TokenEncoding.allCases {
            let builtIn = try #require(BuiltInVocabulary.data(for: encoding))
            #expect(TokenEncoding.sha256Hex(of: builtIn) == encoding.sha256, "\(encoding.rawValue)")
            #expect(pinned[encoding.relativePath] == encoding.sha256, "SHA256SUMS disagrees with TokenEncoding for \(encoding.rawValue)")
            let file = try Data(contentsOf: RepositoryTokenizers.folder.appendingPathComponent(encoding.relativePath))
            #expect(file == builtIn, "\(encoding.rawValue)")
        }
    }

    @Test("with no folder holding a file, every vocabulary comes from the built-in copy")
    func builtInWhenNothingElse() throws {
        let explicit = try TemporaryDirectory()
        let fromEnvironment = try TemporaryDirectory()
        let cacheHome = try TemporaryDirectory()
        defer { for temporary in [explicit, fromEnvironment, cacheHome] { temporary.remove() } }
        let locator = VocabularyLocator(
            explicitDirectory: explicit.url,
            environment: [
                "TOLLGATE_TOKENIZER_DIR": fromEnvironment.url.path, "XDG_CACHE_HOME": cacheHome.url.path,
            ]
        )
        let registry = TokenizerRegistry(locator: locator)
        let origins = try registry.loadAll()
        #expect(origins == [.o200kBase: .builtIn, .cl100kBase: .builtIn, .deepseekV3: .builtIn])
        #expect(try registry.counter(forModel: "gpt-4.1", counting: .exact(.o200kBase)).count("hello world") == 2)
        #expect(VocabularyOrigin.builtIn.description == "built-in")
    }

    @Test("--tokenizer-dir, then TOLLGATE_TOKENIZER_DIR, then the cache, then built-in; each origin is reported")
    func lookupOrder() throws {
        let explicit = try TemporaryDirectory()
        let fromEnvironment = try TemporaryDirectory()
        let cacheHome = try TemporaryDirectory()
        defer { for temporary in [explicit, fromEnvironment, cacheHome] { temporary.remove() } }
        let cache = cacheHome.url.appendingPathComponent("tollgate/tokenizers")
        let cl100k = try Data(contentsOf: RepositoryTokenizers.folder.appendingPathComponent("cl100k_base.tiktoken"))
        let o200k = try Data(contentsOf: RepositoryTokenizers.folder.appendingPathComponent("o200k_base.tiktoken"))
        for folder in [explicit.url, fromEnvironment.url, cache] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try cl100k.write(to: folder.appendingPathComponent("cl100k_base.tiktoken"))
        }
        for folder in [fromEnvironment.url, cache] { try o200k.write(to: folder.appendingPathComponent("o200k_base.tiktoken")) }
        let environment = ["TOLLGATE_TOKENIZER_DIR": fromEnvironment.url.path, "XDG_CACHE_HOME": cacheHome.url.path]

        let all = VocabularyLocator(explicitDirectory: explicit.url, environment: environment)
        #expect(
            try all.locate(.cl100kBase)
                == VocabularyOrigin(kind: .tokenizerDirectory, file: explicit.url.appendingPathComponent("cl100k_base.tiktoken").path)
        )
        #expect(
            try all.locate(.o200kBase)
                == VocabularyOrigin(kind: .environment, file: fromEnvironment.url.appendingPathComponent("o200k_base.tiktoken").path)
        )
        #expect(try all.locate(.deepseekV3) == .builtIn)
        let cacheOnly = VocabularyLocator(environment: ["XDG_CACHE_HOME": cacheHome.url.path])
        let loaded = try cacheOnly.load(.o200kBase)
        #expect(loaded.origin == VocabularyOrigin(kind: .cache, file: cache.appendingPathComponent("o200k_base.tiktoken").path))
        #expect(loaded.origin.description == "cache \(cache.appendingPathComponent("o200k_base.tiktoken").path)")
        #expect(loaded.tokenizer.count("hello world") == 2)
    }

    @Test(
        "a corrupt or truncated override names the file and its expected SHA-256, and the built-in copy is not used instead",
        arguments: ["truncated", "corrupt"]
    )
    func badOverride(damage: String) throws {
        let folder = try TemporaryDirectory()
        let cacheHome = try TemporaryDirectory()
        defer { for temporary in [folder, cacheHome] { temporary.remove() } }
        var bytes = try #require(BuiltInVocabulary.data(for: .o200kBase)).map { $0 }
        if damage == "truncated" { bytes.removeLast(bytes.count / 2) } else { bytes[bytes.count / 2] ^= 0x01 }
        try Data(bytes).write(to: folder.url.appendingPathComponent("o200k_base.tiktoken"))
        let file = folder.url.appendingPathComponent("o200k_base.tiktoken").path
        for locator in [
            VocabularyLocator(explicitDirectory: folder.url, environment: ["XDG_CACHE_HOME": cacheHome.url.path]),
            VocabularyLocator(environment: ["TOLLGATE_TOKENIZER_DIR": folder.url.path, "XDG_CACHE_HOME": cacheHome.url.path]),
        ] {
            let registry = TokenizerRegistry(locator: locator)
            let error = try #require(throws: TokenizerError.self) { try registry.counter(forModel: "gpt-4.1", counting: .exact(.o200kBase)) }
            #expect(error.kind == .checksumMismatch)
            for expected in [file, TokenEncoding.o200kBase.sha256, locator.folders[0].kind.rawValue, "built-in"] {
                #expect(error.description.contains(expected), "message lacks \(expected): \(error)")
            }
            #expect(throws: TokenizerError.self) { try registry.loadAll() }
            #expect(registry.origins[.o200kBase] == nil, "nothing was loaded in its place")
        }
    }

    @Test("a --tokenizer-dir or TOLLGATE_TOKENIZER_DIR folder that does not exist is an error, not a quiet fallback")
    func missingFolder() throws {
        let explicit = VocabularyLocator(explicitDirectory: URL(fileURLWithPath: "/nonexistent/vocab"), environment: [:])
        let error = try #require(throws: TokenizerError.self) { try explicit.locate(.o200kBase) }
        #expect(error.kind == .vocabularyNotFound)
        #expect(error.description.contains("--tokenizer-dir /nonexistent/vocab: no such folder"), "\(error)")
        let fromEnvironment = VocabularyLocator(environment: ["TOLLGATE_TOKENIZER_DIR": "/nonexistent/env"])
        let second = try #require(throws: TokenizerError.self) { try fromEnvironment.locate(.deepseekV3) }
        #expect(second.description.contains("TOLLGATE_TOKENIZER_DIR /nonexistent/env: no such folder"), "\(second)")
    }
}
