import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where the fetcher gets vocabulary bytes from; the real one downloads, tests inject their own.
public protocol VocabularySource: Sendable {
    /// The complete contents at `url`.
    func data(from url: URL) async throws -> Data
}

/// Downloads with Foundation's `URLSession` (also reads `file://` URLs).
public struct URLSessionVocabularySource: VocabularySource {
    /// Creates a source using the shared session.
    public init() {}

    public func data(from url: URL) async throws -> Data {
        if url.isFileURL { return try Data(contentsOf: url) }
        let (data, response) = try await URLSession.shared.data(from: url)
        if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            throw TokenizerError(.fetchFailed, "GET \(url.absoluteString) answered HTTP \(http.statusCode)")
        }
        return data
    }
}
