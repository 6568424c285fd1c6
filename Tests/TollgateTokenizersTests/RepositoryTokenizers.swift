import Foundation

/// The repository's `tokenizers/` folder, the source of the built-in vocabularies (found from this
/// file, so it works in any clone).
enum RepositoryTokenizers {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tokenizers", isDirectory: true)
}
