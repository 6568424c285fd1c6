import Foundation

extension TokenizerRegistry {
    /// The counter `tollgate tokens count` uses: exactly one of `--model` or `--encoding`.
    public func counter(model: String?, encoding: String?) throws -> ModelTokenCounter {
        switch (model, encoding) {
        case (let model?, nil): return try counter(forModel: model)
        case (nil, let encoding?): return try counter(forEncoding: encoding)
        default:
            throw TokenizerError(.malformedInput, "pass exactly one of --model MODEL or --encoding NAME "
                                 + "(models: \(Self.models.keys.sorted().joined(separator: ", ")); "
                                 + "encodings: \(TokenEncoding.allCases.map(\.rawValue).joined(separator: ", ")))")
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
