import Foundation

/// Downloads vocabularies from their official URLs into the cache, verifying the published
/// SHA-256 before anything is written, and writing atomically so a half download never counts.
public struct VocabularyFetcher: Sendable {
    /// Directory the files are installed into (normally ``VocabularyLocator/cacheDirectory(environment:homeDirectory:)``).
    public let cacheDirectory: URL
    private let source: any VocabularySource
    private let urlOverride: @Sendable (TokenEncoding) -> URL

    /// Creates a fetcher; `url` maps an encoding to where it is fetched from (the official URL
    /// unless overridden, e.g. for a mirror).
    public init(
        cacheDirectory: URL,
        source: any VocabularySource = URLSessionVocabularySource(),
        url: @escaping @Sendable (TokenEncoding) -> URL = { URL(string: $0.officialURL)! }
    ) {
        self.cacheDirectory = cacheDirectory
        self.source = source
        self.urlOverride = url
    }

    /// Downloads, verifies and installs `encoding`; returns the installed file.
    @discardableResult
    public func fetch(_ encoding: TokenEncoding) async throws -> URL {
        let url = urlOverride(encoding)
        let data: Data
        do {
            data = try await source.data(from: url)
        } catch let error as TokenizerError {
            throw error
        } catch {
            throw TokenizerError(
                .fetchFailed,
                "downloading \(encoding.rawValue) from \(url.absoluteString) failed: "
                    + "\(error.localizedDescription)"
            )
        }
        let digest = TokenEncoding.sha256Hex(of: data)
        guard digest == encoding.sha256 else {
            throw TokenizerError(
                .checksumMismatch,
                facts: """
                    \(encoding.rawValue) from \(url.absoluteString) has SHA-256 \(digest), expected \(encoding.sha256); \
                    nothing was installed.\u{20}
                    """,
                remedy: .retryFetch
            )
        }
        let destination = cacheDirectory.appendingPathComponent(encoding.relativePath)
        do {
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try data.write(to: destination, options: .atomic)
        } catch {
            throw TokenizerError(.fetchFailed, "cannot write \(destination.path): \(error.localizedDescription)")
        }
        return destination
    }

    /// Fetches every encoding; returns the installed files in ``TokenEncoding/allCases`` order.
    @discardableResult
    public func fetchAll() async throws -> [URL] {
        var installed: [URL] = []
        for encoding in TokenEncoding.allCases { installed.append(try await fetch(encoding)) }
        return installed
    }
}
