import Foundation

/// The `tollgate` processes the tests start count with the built-in vocabularies, as on a fresh
/// install, whatever the developer's shell holds: no `TOLLGATE_TOKENIZER_DIR`, and a cache folder
/// that does not exist.
enum FreshVocabularies {
    static func scrub(_ environment: inout [String: String]) {
        environment.removeValue(forKey: "TOLLGATE_TOKENIZER_DIR")
        environment["XDG_CACHE_HOME"] = FileManager.default.temporaryDirectory.appending(path: "tollgate-no-cache-\(UUID().uuidString)").path
    }
}
