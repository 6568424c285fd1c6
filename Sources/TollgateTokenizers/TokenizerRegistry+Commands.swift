import Foundation

extension TokenizerRegistry {
    /// The counter `tollgate tokens count` uses: exactly one of `--model` (counted as the catalog's
    /// `counting` for it says) or `--encoding`.
    public func counter(model: String?, encoding: String?, counting: (String) throws -> Counting) throws -> ModelTokenCounter {
        switch (model, encoding) {
        case (let model?, nil): return try counter(forModel: model, counting: counting(model))
        case (nil, let encoding?): return try counter(forEncoding: encoding)
        default:
            throw TokenizerError(
                .malformedInput,
                facts: "(encodings: \(TokenEncoding.allCases.map(\.rawValue).joined(separator: ", ")))",
                remedy: .modelOrEncoding
            )
        }
    }
}

extension ModelTokenCounter {
    /// Tokens in the UTF-8 text file at `url` (`--file F`); invalid UTF-8 is replaced with U+FFFD,
    /// as the providers do with undecodable input.
    public func count(fileAt url: URL) throws -> Int {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError(.malformedInput, "cannot read \(url.path): \(error.localizedDescription)")
        }
        return count(String(decoding: data, as: UTF8.self))
    }
}
