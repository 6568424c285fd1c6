import Foundation

/// Finds vocabulary files: an explicit directory (`--tokenizer-dir`), then `TOLLGATE_TOKENIZER_DIR`,
/// then the user cache (`$XDG_CACHE_HOME/tollgate/tokenizers`, else `~/.cache/tollgate/tokenizers`).
///
/// Each directory uses the `shared/tokenizers` layout (``TokenEncoding/relativePath``).
public struct VocabularyLocator: Sendable {
    /// Directories searched, in order.
    public let searchDirectories: [URL]

    /// Builds the search order from an explicit directory and an environment (pass
    /// `ProcessInfo.processInfo.environment` from the executable; tests pass their own).
    public init(explicitDirectory: URL? = nil, environment: [String: String], homeDirectory: URL? = nil) {
        var directories: [URL] = []
        if let explicitDirectory { directories.append(explicitDirectory) }
        if let fromEnvironment = environment["TOLLGATE_TOKENIZER_DIR"], !fromEnvironment.isEmpty {
            directories.append(URL(fileURLWithPath: fromEnvironment, isDirectory: true))
        }
        directories.append(Self.cacheDirectory(environment: environment, homeDirectory: homeDirectory))
        searchDirectories = directories
    }

    /// Searches exactly `directories`, in order.
    public init(searchDirectories: [URL]) {
        self.searchDirectories = searchDirectories
    }

    /// The per-user cache the fetcher downloads into.
    public static func cacheDirectory(environment: [String: String], homeDirectory: URL? = nil) -> URL {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("tollgate/tokenizers", isDirectory: true)
        }
        let home = homeDirectory
            ?? environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".cache/tollgate/tokenizers", isDirectory: true)
    }

    /// The first existing file for `encoding`, or an error naming the file, every directory
    /// searched and the command that downloads it.
    public func locate(_ encoding: TokenEncoding) throws -> URL {
        for directory in searchDirectories {
            let file = directory.appendingPathComponent(encoding.relativePath)
            if FileManager.default.isReadableFile(atPath: file.path) { return file }
        }
        let searched = searchDirectories.map { "  - \($0.path)" }.joined(separator: "\n")
        throw TokenizerError(.vocabularyNotFound, """
            vocabulary file '\(encoding.relativePath)' for \(encoding.rawValue) not found; looked in:
            \(searched)
            Run `tollgate tokenizers fetch` to download it into the cache, or pass --tokenizer-dir \
            (or set TOLLGATE_TOKENIZER_DIR) to a directory that holds it.
            """)
    }

    /// Locates and parses `encoding`.
    public func load(_ encoding: TokenEncoding) throws -> Tokenizer {
        let file = try locate(encoding)
        return try Tokenizer(encoding: encoding, vocabulary: try Data(contentsOf: file), source: file.path)
    }
}
