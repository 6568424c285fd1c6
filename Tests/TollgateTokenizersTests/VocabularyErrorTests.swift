import Foundation
import Testing
import TollgateTokenizers

struct VocabularyErrorTests {
    @Test("without a built-in copy, a missing vocabulary names the file, every directory searched and the fetch command")
    func missingVocabulary() throws {
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
        let cache = cacheHome.url.appendingPathComponent("tollgate/tokenizers")
        #expect(locator.searchDirectories.map(\.path) == [explicit.url.path, fromEnvironment.url.path, cache.path])
        #expect(locator.folders.map(\.kind) == [.tokenizerDirectory, .environment, .cache])
        #expect(try locator.locate(.deepseekV3) == .builtIn)
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let withoutBuiltIn = VocabularyLocator(searchDirectories: locator.searchDirectories)
        let error = try #require(throws: TokenizerError.self) { try withoutBuiltIn.locate(.deepseekV3) }
        #expect(error.kind == .vocabularyNotFound)
        for expected in ["deepseek-v3/tokenizer.json", explicit.url.path, fromEnvironment.url.path, cache.path] {
            #expect(error.description.contains(expected), "message lacks \(expected)")
        }
        #expect(error.remedy == .fetchOrName)
        #expect(!error.description.contains("tollgate ") && !error.description.contains("--"), "\(error)")
    }

    @Test("the cache directory follows XDG_CACHE_HOME, else HOME")
    func cacheDirectory() {
        #expect(VocabularyLocator.cacheDirectory(environment: ["XDG_CACHE_HOME": "/x"]).path == "/x/tollgate/tokenizers")
        #expect(
            VocabularyLocator.cacheDirectory(environment: ["HOME": "/home/u"]).path
                == "/home/u/.cache/tollgate/tokenizers"
        )
    }

    @Test("the explicit directory wins over the environment and the cache")
    func searchOrder() throws {
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        defer { for temporary in [first, second] { temporary.remove() } }
        try first.write("IQ== 0\n", to: "cl100k_base.tiktoken")
        try second.write("IQ== 0\n", to: "cl100k_base.tiktoken")
        let locator = VocabularyLocator(explicitDirectory: first.url, environment: ["TOLLGATE_TOKENIZER_DIR": second.url.path])
        #expect(
            try locator.locate(.cl100kBase)
                == VocabularyOrigin(kind: .tokenizerDirectory, file: first.url.appendingPathComponent("cl100k_base.tiktoken").path)
        )
    }

    @Test(
        "a corrupt tiktoken line is reported with its line number",
        arguments: [("IQ== 0\nIg== 1\n!!notbase64 2\n", 3), ("IQ== 0\nIg==\n", 2), ("IQ== 0\nIg== x1\n", 2)]
    )
    func corruptTiktoken(contents: String, line: Int) throws {
        let error = try #require(throws: TokenizerError.self) {
            try Tokenizer(encoding: .o200kBase, vocabulary: Data(contents.utf8), source: "o200k_base.tiktoken")
        }
        #expect(error.kind == .malformedVocabulary)
        #expect(error.description.contains("o200k_base.tiktoken: line \(line):"), "\(error)")
        // The edges name the command that fetches it (`tollgate tokenizers fetch`, tested at the CLI and /readyz).
        #expect(error.remedy == .redownload)
        #expect(error.description.hasSuffix("Download the published file again."))
    }

    @Test("an empty tiktoken file is rejected")
    func emptyTiktoken() throws {
        let error = try #require(throws: TokenizerError.self) {
            try Tokenizer(encoding: .cl100kBase, vocabulary: Data(), source: "cl100k_base.tiktoken")
        }
        #expect(error.kind == .malformedVocabulary)
    }

    @Test(
        "a bad tokenizer.json is rejected with the reason",
        arguments: [
            ("{not json", "not valid JSON"),
            ("[1, 2]", "top level is not a JSON object"),
            (#"{"model": {"type": "WordPiece"}}"#, "not a BPE model"),
            (#"{"model": {"type": "BPE", "vocab": {}, "merges": []}, "pre_tokenizer": null}"#, "unsupported \"pre_tokenizer\""),
        ]
    )
    func badTokenizerJSON(contents: String, reason: String) throws {
        let error = try #require(throws: TokenizerError.self) {
            try Tokenizer(encoding: .deepseekV3, vocabulary: Data(contents.utf8), source: "tokenizer.json")
        }
        #expect(error.kind == .malformedVocabulary)
        #expect(error.description.contains(reason), "\(error)")
    }

    @Test("an unreadable vocabulary file through Tokenizer(encoding:directory:) says how to fetch it")
    func unreadableFile() throws {
        let empty = try TemporaryDirectory()
        defer { empty.remove() }
        let error = try #require(throws: TokenizerError.self) { try Tokenizer(encoding: .o200kBase, directory: empty.url) }
        #expect(error.kind == .vocabularyNotFound)
        #expect(error.remedy == .fetchVocabularies)
        #expect(error.description.hasSuffix("download the published vocabularies"))
    }
}
