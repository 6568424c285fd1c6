import Foundation
import TollgateStreaming
import TollgateTestSupport
import TollgateTokenizers

/// Bodies, counters and media headers for the prompt counting tests.
enum PromptFixtures {
    static let gpt = try! SharedTokenizerData.counter(forModel: "gpt-4.1")
    static let cl100k = try! SharedTokenizerData.registry.counter(forEncoding: "cl100k_base")
    static let deepseek = try! SharedTokenizerData.counter(forModel: "deepseek-v3.2")
    static let claude = try! SharedTokenizerData.counter(forModel: "claude-sonnet-4.5")

    /// A body from JSON text, as the gateway parses a client's.
    static func body(_ json: String) -> JSONValue {
        try! JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    /// A user message whose content is `parts` (JSON text of an array).
    static func user(parts: String) -> JSONValue {
        body(#"{"model":"gpt-4.1","messages":[{"role":"user","content":\#(parts)}]}"#)
    }

    static func dataURL(_ bytes: [UInt8], type: String = "image/png") -> String {
        "data:\(type);base64," + Data(bytes).base64EncodedString()
    }

    static func bigEndian(_ value: Int, _ length: Int) -> [UInt8] {
        (0..<length).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    static func littleEndian(_ value: Int, _ length: Int) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    static func png(width: Int, height: Int) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
            + bigEndian(width, 4) + bigEndian(height, 4) + [8, 6, 0, 0, 0] + [0xDE, 0xAD, 0xBE, 0xEF] + Array(repeating: 0, count: 64)
    }

    /// A JPEG with APP0 and a quantisation table before its baseline frame header.
    static func jpeg(width: Int, height: Int) -> [UInt8] {
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF\0".utf8) + Array(repeating: 1, count: 9)
            + [0xFF, 0xDB, 0x00, 0x43] + Array(repeating: 2, count: 65)
            + [0xFF, 0xC0, 0x00, 0x11, 0x08] + bigEndian(height, 2) + bigEndian(width, 2) + Array(repeating: 3, count: 12)
    }

    static func gif(width: Int, height: Int) -> [UInt8] {
        Array("GIF89a".utf8) + littleEndian(width, 2) + littleEndian(height, 2) + [0xF7, 0, 0] + Array(repeating: 0, count: 32)
    }

    static func webpLossy(width: Int, height: Int) -> [UInt8] {
        Array("RIFF".utf8) + littleEndian(100, 4) + Array("WEBPVP8 ".utf8) + littleEndian(80, 4)
            + [0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A] + littleEndian(width, 2) + littleEndian(height, 2) + Array(repeating: 0, count: 32)
    }

    static func webpLossless(width: Int, height: Int) -> [UInt8] {
        Array("RIFF".utf8) + littleEndian(100, 4) + Array("WEBPVP8L".utf8) + littleEndian(80, 4)
            + [0x2F] + littleEndian((width - 1) | (height - 1) << 14, 4) + Array(repeating: 0, count: 32)
    }

    static func webpExtended(width: Int, height: Int) -> [UInt8] {
        Array("RIFF".utf8) + littleEndian(100, 4) + Array("WEBPVP8X".utf8) + littleEndian(10, 4)
            + [0x10, 0, 0, 0] + littleEndian(width - 1, 3) + littleEndian(height - 1, 3) + Array(repeating: 0, count: 32)
    }

    /// A PCM WAV header announcing `byteRate`, followed by `dataBytes` of silence.
    static func wav(byteRate: Int, dataBytes: Int) -> [UInt8] {
        Array("RIFF".utf8) + littleEndian(36 + dataBytes, 4) + Array("WAVE".utf8)
            + Array("fmt ".utf8) + littleEndian(16, 4) + littleEndian(1, 2) + littleEndian(1, 2) + littleEndian(byteRate / 2, 4)
            + littleEndian(byteRate, 4) + littleEndian(2, 2) + littleEndian(16, 2)
            + Array("data".utf8) + littleEndian(dataBytes, 4) + Array(repeating: 0, count: dataBytes)
    }

    /// An image part with `url` and optional `detail`.
    static func imagePart(_ url: String, detail: String? = nil) -> String {
        let detailField = detail.map { #","detail":"\#($0)""# } ?? ""
        return #"[{"type":"image_url","image_url":{"url":"\#(url)"\#(detailField)}}]"#
    }
}
