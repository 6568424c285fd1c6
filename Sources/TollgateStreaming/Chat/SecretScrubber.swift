/// Replaces secrets in text before a client or a log sees it: the one scrubber for every upstream
/// error message, error body and log line that could carry one.
///
/// Relays echo what they were sent ("Incorrect API key provided: Bearer sk-…"), so a message from
/// upstream is never trusted to be secret-free. Two kinds of secret are replaced by `[redacted]`:
/// - the exact strings the scrubber was given (the upstream key, whatever its shape);
/// - anything shaped like a credential: the token after `Bearer` (8 or more token characters, so
///   prose such as "bearer of bad news" stays), a word starting with `sk-`
///   (OpenAI-style keys, also when partly masked), a gateway key (`tg_` + 20 or more letters and
///   digits; the 12-character prefix that listings show stays), and the password of a URL
///   (`postgres://user:[redacted]@host`).
public struct SecretScrubber: Sendable, Hashable {
    /// What a secret is replaced by.
    public static let redacted = "[redacted]"

    /// Exact secrets, longest first so one containing another is replaced whole.
    private let secrets: [String]

    /// A scrubber for `secrets` (empty strings and strings under 4 characters are ignored: they
    /// would redact ordinary words) plus the credential shapes.
    public init(secrets: [String] = []) {
        self.secrets = Array(Set(secrets.filter { $0.utf8.count >= 4 })).sorted { $0.utf8.count > $1.utf8.count }
    }

    /// `text` with every secret replaced by ``redacted``.
    public func scrub(_ text: String) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacing(secret, with: Self.redacted)
        }
        return Self.scrubShapes(text)
    }

    /// The error with its message and the upstream's reply (body, header values) scrubbed.
    public func scrub(_ error: StreamingError) -> StreamingError {
        let message = error.upstreamMessage.map(scrub)
        let reply = error.reply.map { $0.scrubbed(by: self) }
        guard message != error.upstreamMessage || reply != error.reply else { return error }
        return StreamingError(error.kind, message: message, httpStatus: error.httpStatus, reply: reply)
    }

    /// Replaces the credential shapes; the text is only copied when it holds one.
    static func scrubShapes(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var copied = 0
        var index = 0
        func redact(from start: Int, to end: Int) {
            out.append(contentsOf: bytes[copied..<start])
            out.append(contentsOf: redactedBytes)
            copied = end
        }
        while index < bytes.count {
            let wordStart = index == 0 || !isWordByte(bytes[index - 1])
            if wordStart, let token = bearerToken(bytes, at: index) {
                redact(from: token.lowerBound, to: token.upperBound)
                index = token.upperBound
            } else if wordStart, let key = prefixedKey(bytes, at: index) {
                redact(from: index, to: key)
                index = key
            } else if let password = urlPassword(bytes, at: index) {
                redact(from: password.lowerBound, to: password.upperBound)
                index = password.upperBound
            } else {
                index += 1
            }
        }
        guard copied > 0 else { return text }
        out.append(contentsOf: bytes[copied...])
        return String(decoding: out, as: UTF8.self)
    }

    private static let redactedBytes = Array(SecretScrubber.redacted.utf8)

    /// The token (8+ characters) after `Bearer ` (any case, one or more spaces) starting at `index`.
    private static func bearerToken(_ bytes: [UInt8], at index: Int) -> Range<Int>? {
        let word = Array("bearer".utf8)
        guard index + word.count < bytes.count,
            zip(bytes[index..<index + word.count], word).allSatisfy({ $0 | 0x20 == $1 })
        else { return nil }
        var start = index + word.count
        guard bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") else { return nil }
        while start < bytes.count, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
        let end = run(bytes, from: start, while: isTokenByte)
        return end - start >= 8 ? start..<end : nil
    }

    /// The end of an `sk-…` key (3+ token characters) or a `tg_…` gateway key (20+ letters and digits).
    private static func prefixedKey(_ bytes: [UInt8], at index: Int) -> Int? {
        guard index + 3 < bytes.count else { return nil }
        let prefix = bytes[index..<index + 3]
        if prefix.elementsEqual("sk-".utf8) {
            let end = run(bytes, from: index + 3, while: isTokenByte)
            return end - (index + 3) >= 3 ? end : nil
        }
        if prefix.elementsEqual("tg_".utf8) {
            let end = run(bytes, from: index + 3, while: isAlphanumeric)
            return end - (index + 3) >= 20 ? end : nil
        }
        return nil
    }

    /// The password of `scheme://user:password@` when `index` is at its `://`.
    private static func urlPassword(_ bytes: [UInt8], at index: Int) -> Range<Int>? {
        guard index + 3 < bytes.count, bytes[index..<index + 3].elementsEqual("://".utf8) else { return nil }
        let user = run(bytes, from: index + 3) { isUserinfoByte($0) && $0 != UInt8(ascii: ":") }
        guard user < bytes.count, bytes[user] == UInt8(ascii: ":") else { return nil }
        let end = run(bytes, from: user + 1, while: isUserinfoByte)
        guard end < bytes.count, bytes[end] == UInt8(ascii: "@"), end > user + 1 else { return nil }
        return user + 1..<end
    }

    private static func run(_ bytes: [UInt8], from start: Int, while accepts: (UInt8) -> Bool) -> Int {
        var end = start
        while end < bytes.count, accepts(bytes[end]) { end += 1 }
        return end
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Letters, digits, `-` and `_`: a secret shape must not start inside such a word (`task-…`).
    private static func isWordByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    /// Characters of a bearer token (RFC 6750's b64token) plus `*`, which masked echoes use.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || "-._~+/=*".utf8.contains(byte)
    }

    /// Characters a URL's userinfo holds before `@`.
    private static func isUserinfoByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && !"/@?#\"'<>\\".utf8.contains(byte)
    }
}
