import ArgumentParser
import Foundation
import TollgateTokenizers

/// `tollgate tokenizers fetch`: download the vocabularies into the user cache, verifying SHA-256.
struct TokenizersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizers",
        abstract: "Manage tokenizer vocabularies.",
        subcommands: [TokenizersFetch.self]
    )
}

/// Downloads every vocabulary from its official URL into the cache directory.
struct TokenizersFetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download o200k_base, cl100k_base and DeepSeek-V3 from their official URLs, verifying SHA-256."
    )

    @Option(help: "Cache folder to fill (default: $XDG_CACHE_HOME/tollgate/tokenizers or ~/.cache/tollgate/tokenizers).")
    var cacheDir: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let cache = cacheDir.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? VocabularyLocator.cacheDirectory(environment: environment)
        for url in try await VocabularyFetcher(cacheDirectory: cache).fetchAll() {
            print("verified \(url.path)")
        }
    }
}
