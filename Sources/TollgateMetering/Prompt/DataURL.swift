/// A `data:` URL's base64 payload, lent without copying the (possibly megabytes long) string.
enum DataURL {
    /// Calls `body` with the payload of a base64 `data:` URL, or returns nil when `url` is not one
    /// (a remote URL, a percent-encoded data URL, no comma).
    static func withPayload<Result>(_ url: String, _ body: (Base64Bytes) -> Result) -> Result? {
        var url = url
        url.makeContiguousUTF8()
        return url.utf8.withContiguousStorageIfAvailable { text -> Result? in
            guard text.count > 5, text.prefix(5).map({ $0 | 0x20 }).elementsEqual("data:".utf8) else { return nil }
            // The media type and its parameters are short; a comma far out means this is no data URL.
            guard let comma = text.prefix(1024).firstIndex(of: UInt8(ascii: ",")) else { return nil }
            let header = text[5..<comma].map { $0 | 0x20 }
            guard header.count >= 7, header.suffix(7).elementsEqual(";base64".utf8) else { return nil }
            return body(Base64Bytes(UnsafeBufferPointer(rebasing: text[(comma + 1)...])))
        } ?? nil
    }
}

extension DataURL {
    /// Calls `body` with the bytes of `text`: a base64 `data:` URL's payload, or else `text` itself
    /// read as base64 (`input_audio.data` and `file.file_data` may be either).
    static func withBase64<Result>(_ text: String, _ body: (Base64Bytes) -> Result) -> Result {
        if let result = withPayload(text, body) { return result }
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { body(Base64Bytes($0)) } ?? body(Base64Bytes(UnsafeBufferPointer(start: nil, count: 0)))
    }
}
