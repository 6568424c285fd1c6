import TollgateTokenizers

extension TokenizerError {
    /// The message the CLI shows: the facts, then the remedy as the command or option to use.
    /// Errors without a `remedy` keep their description.
    var commandLineMessage: String {
        guard let remedy else { return description }
        return switch remedy {
        case .redownload: facts + "Re-download it with `tollgate tokenizers fetch`."
        case .fetchVocabularies: facts + "run `tollgate tokenizers fetch` to download the vocabularies"
        case .retryFetch: facts + "Retry `tollgate tokenizers fetch`, or check the URL/proxy."
        case .fetchOrName:
            facts + "Run `tollgate tokenizers fetch` to download it into the cache, or pass --tokenizer-dir "
                + "(or set TOLLGATE_TOKENIZER_DIR) to a directory that holds it."
        case .replaceWithPublished:
            facts + "Replace it with the published file (`tollgate tokenizers fetch --cache-dir FOLDER` downloads and "
                + "verifies it), or remove it to count with the built-in vocabulary; nothing falls back on its own."
        case .modelOrEncoding:
            "pass exactly one of --model MODEL or --encoding NAME (models: see `tollgate pricing list`; "
                + "encodings: \(TokenEncoding.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}
