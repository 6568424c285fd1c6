/// An estimate of what an `input_audio` part costs. OpenAI publishes no formula for Chat
/// Completions audio input; its Realtime cost guide bills user audio at 1 token per 100 ms, so:
///
///     tokens = ⌈decoded bytes × 10 ÷ bytes per second⌉
///
/// with bytes per second from the file itself: a WAV's `fmt ` chunk (its byte rate), an MP3's
/// first frame header (its bitrate). When neither can be read the rate is 1000 bytes/s (8 kbit/s,
/// the lowest MP3 bitrate), so the duration, and the count, err long. Always an estimate.
enum AudioTokens {
    /// Tokens per second of input audio (1 per 100 ms).
    static let perSecond = 10
    /// The byte rate assumed when the file's own cannot be read: 8 kbit/s.
    static let slowestBytesPerSecond = 1000

    /// The estimate for a base64 payload; the format is told by its first bytes, not the `format` field.
    static func count(_ bytes: Base64Bytes) -> Int {
        let rate = byteRate(bytes) ?? slowestBytesPerSecond
        return (bytes.count * perSecond + rate - 1) / rate
    }

    static func byteRate(_ bytes: Base64Bytes) -> Int? {
        let rate = bytes.matches("RIFF", at: 0) ? wavByteRate(bytes) : mp3ByteRate(bytes)
        return rate.flatMap { $0 > 0 ? $0 : nil }
    }

    /// The byte rate of the `fmt ` chunk (a few chunks at most precede it).
    private static func wavByteRate(_ bytes: Base64Bytes) -> Int? {
        guard bytes.matches("WAVE", at: 8) else { return nil }
        var offset = 12
        for _ in 0..<64 {
            guard let size = bytes.littleEndian(at: offset + 4, 4) else { return nil }
            if bytes.matches("fmt ", at: offset) { return bytes.littleEndian(at: offset + 16, 4) }
            offset += 8 + size + size % 2
        }
        return nil
    }

    /// Bitrates in kbit/s by MPEG version (1, or 2 and 2.5) and layer (I, II, III), by header index.
    private static let bitrates: [[Int]] = [
        [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
        [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    ]

    /// The bitrate of the first MPEG audio frame, after an ID3v2 tag if there is one.
    private static func mp3ByteRate(_ bytes: Base64Bytes) -> Int? {
        var offset = 0
        if bytes.matches("ID3", at: 0), let flags = bytes.byte(at: 5), let size = bytes.bytes(at: 6, 4) {
            // A syncsafe size: 7 bits per byte; a footer adds 10 bytes.
            offset = 10 + size.reduce(0) { $0 << 7 | Int($1 & 0x7F) } + (flags & 0x10 != 0 ? 10 : 0)
        }
        guard let header = bytes.bytes(at: offset, 3), header[0] == 0xFF, header[1] & 0xE0 == 0xE0 else { return nil }
        let version = header[1] >> 3 & 0x3
        let layer = header[1] >> 1 & 0x3
        let index = Int(header[2] >> 4)
        guard version != 1, layer != 0, index > 0, index < 15 else { return nil }
        let table = version == 3 ? Int(3 - layer) : (layer == 3 ? 3 : 4)
        return bitrates[table][index] * 125
    }
}
