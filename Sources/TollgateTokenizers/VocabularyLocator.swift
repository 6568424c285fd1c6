import Foundation

/// Finds vocabularies in the lookup order: the `--tokenizer-dir` folder, then
/// `TOLLGATE_TOKENIZER_DIR`, then the user cache `tollgate tokenizers fetch` fills
/// (`$XDG_CACHE_HOME/tollgate/tokenizers`, else `~/.cache/tollgate/tokenizers`), then the copies
/// compiled into the binary.
///
/// Each folder uses the `tokenizers/` layout (``TokenEncoding/relativePath``) and may hold only
/// some of the files. A file found in a folder must be the published one (its SHA-256 is
/// checked): a corrupt or truncated override is an error, never silently replaced by the built-in copy.
public struct VocabularyLocator: Sendable {
    /// A folder searched, and which lookup step it is.
    public struct Folder: Sendable, Equatable {
        /// The folder.
        public let url: URL
        /// The lookup step it stands for.
        public let kind: VocabularyOrigin.Kind
    }

    /// Folders searched, in order.
    public let folders: [Folder]
    /// Whether the built-in vocabularies answer when no folder holds the file.
    public let usesBuiltIn: Bool

    /// The folders' paths, in search order.
    public var searchDirectories: [URL] { folders.map(\.url) }

    /// The product's lookup order from an explicit folder and an environment (pass
    /// `ProcessInfo.processInfo.environment` from the executable; tests pass their own).
    public init(explicitDirectory: URL? = nil, environment: [String: String], homeDirectory: URL? = nil) {
        var folders: [Folder] = []
        if let explicitDirectory { folders.append(Folder(url: explicitDirectory, kind: .tokenizerDirectory)) }
        if let fromEnvironment = environment["TOLLGATE_TOKENIZER_DIR"], !fromEnvironment.isEmpty {
            folders.append(Folder(url: URL(fileURLWithPath: fromEnvironment, isDirectory: true), kind: .environment))
        }
        folders.append(Folder(url: Self.cacheDirectory(environment: environment, homeDirectory: homeDirectory), kind: .cache))
        self.folders = folders
        usesBuiltIn = true
    }

    /// Searches exactly `directories` (as `--tokenizer-dir` folders), then the built-in copies if `usesBuiltIn`.
    public init(searchDirectories: [URL], usesBuiltIn: Bool = false) {
        folders = searchDirectories.map { Folder(url: $0, kind: .tokenizerDirectory) }
        self.usesBuiltIn = usesBuiltIn
    }

    /// Only the vocabularies compiled into the binary: what tests and benchmarks count with.
    public static let builtIn = VocabularyLocator(searchDirectories: [], usesBuiltIn: true)

    /// The per-user cache the fetcher downloads into.
    public static func cacheDirectory(environment: [String: String], homeDirectory: URL? = nil) -> URL {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("tollgate/tokenizers", isDirectory: true)
        }
        let home =
            homeDirectory
            ?? environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".cache/tollgate/tokenizers", isDirectory: true)
    }

    /// Where `encoding` comes from: the first folder holding its file, else the built-in copy.
    /// An explicit or `TOLLGATE_TOKENIZER_DIR` folder that does not exist is an error (a typo must
    /// not quietly count with something else); so is a file nowhere when there is no built-in copy.
    public func locate(_ encoding: TokenEncoding) throws -> VocabularyOrigin {
        for folder in folders {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: folder.url.path, isDirectory: &isDirectory)
            if folder.kind != .cache, !(exists && isDirectory.boolValue) {
                throw TokenizerError(
                    .vocabularyNotFound,
                    """
                    \(folder.kind.rawValue) \(folder.url.path): no such folder. Pass a folder laid out like \
                    tokenizers/ (\(TokenEncoding.allCases.map(\.relativePath).joined(separator: ", "))), \
                    or leave it out to count with the built-in vocabularies.
                    """
                )
            }
            let file = folder.url.appendingPathComponent(encoding.relativePath)
            if FileManager.default.isReadableFile(atPath: file.path) { return VocabularyOrigin(kind: folder.kind, file: file.path) }
        }
        if usesBuiltIn, BuiltInVocabulary.tableImage(for: encoding) != nil { return .builtIn }
        let searched = folders.map { "  - \($0.url.path)" }.joined(separator: "\n")
        throw TokenizerError(
            .vocabularyNotFound,
            facts: """
                vocabulary file '\(encoding.relativePath)' for \(encoding.rawValue) not found; looked in:
                \(searched)

                """,
            remedy: .fetchOrName
        )
    }

    /// Locates, verifies and parses `encoding`; a built-in one comes from its precomputed tables.
    public func load(_ encoding: TokenEncoding) throws -> (tokenizer: Tokenizer, origin: VocabularyOrigin) {
        let origin = try locate(encoding)
        guard let path = origin.file else { return (try Tokenizer(builtIn: encoding), origin) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TokenizerError(.vocabularyNotFound, "cannot read \(path) (\(origin.kind.rawValue)): \(error.localizedDescription)")
        }
        let digest = TokenEncoding.sha256Hex(of: data)
        guard digest == encoding.sha256 else {
            throw TokenizerError(
                .checksumMismatch,
                facts: """
                    \(path) (from \(origin.kind.rawValue)) is not the published \(encoding.rawValue) vocabulary: \
                    its SHA-256 is \(digest), expected \(encoding.sha256) (a corrupt or truncated file?).\u{20}
                    """,
                remedy: .replaceWithPublished
            )
        }
        return (try Tokenizer(encoding: encoding, vocabulary: data, source: path), origin)
    }
}
