import Foundation
import NIOCore
import Testing

@testable import TollgateStreaming

/// Strings that exercise every escaping rule: each ASCII byte, quotes and backslashes next to each
/// other, non-ASCII of every UTF-8 length, separators JavaScript treats specially, and a BOM.
let trickyStrings: [String] = {
    var strings = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
    strings += [
        "", "plain", "a \"quoted\" word", "back\\slash", "\\\"", "\"\\\"", "path/to/file", "</script>",
        "tab\there", "line\nbreak", "cr\r\nlf", "bell\u{07}", "nul\u{00}inside", "\u{1F}\u{7F}",
        "café", "naïve façade", "中文字符", "日本語のテキスト", "emoji 🎉👩‍💻🇫🇷", "\u{2028}\u{2029}", "\u{FEFF}bom",
        "\u{10FFFF}", "mixed \"é\"\n\t\\ 中 🎉 \u{01}", String(repeating: "long ", count: 200) + "\n",
    ]
    return strings
}()

/// Deterministic pseudo-random strings over a pool that is mostly escapes and multi-byte scalars.
func randomStrings(count: Int, seed: UInt64) -> [String] {
    var state = seed
    func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    let pool: [Character] = [
        "a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{00}", "\u{1B}", "\u{7F}",
        "é", "ß", "中", "🎉", "\u{2028}", "{", "}", "[", "]", ":", ",", "u", "0",
    ]
    return (0..<count).map { _ in
        String((0..<Int(next() % 24)).map { _ in pool[Int(next() % UInt64(pool.count))] })
    }
}

let sortedEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
}()

@Suite("Hand-written JSON output")
struct JSONOutputTests {
    @Test(
        "strings are escaped byte-for-byte as JSONEncoder escapes them, and decode back unchanged",
        arguments: trickyStrings + randomStrings(count: 300, seed: 7)
    )
    func stringsMatchJSONEncoder(_ string: String) throws {
        let written = JSONOutput.string(string)
        let expected = try sortedEncoder.encode(string)
        #expect(Array(written.readableBytesView) == Array(expected), "\(string.debugDescription): got \(String(buffer: written))")
        #expect(try JSONDecoder().decode(String.self, from: Data(written.readableBytesView)) == string)
    }

    @Test("control characters use the short escapes where JSON has them and \\u00XX otherwise; non-ASCII stays UTF-8")
    func escapeForms() {
        #expect(String(buffer: JSONOutput.string("\n\r\t\u{08}\u{0C}")) == #""\n\r\t\b\f""#)
        #expect(String(buffer: JSONOutput.string("\u{00}\u{01}\u{1F}")) == #""\u0000\u0001\u001f""#)
        #expect(String(buffer: JSONOutput.string("é中🎉/")) == "\"é中🎉/\"")
        #expect(String(buffer: JSONOutput.string("say \"hi\" \\o/")) == #""say \"hi\" \\o/""#)
    }

    @Test(
        "content_delta and content_block_start frames are what JSONEncoder writes for the same frame",
        arguments: trickyStrings + randomStrings(count: 100, seed: 11)
    )
    func relayFramesMatchJSONEncoder(_ content: String) throws {
        for index in [0, 3, 1_234_567] {
            let frame = RelayServerFrame(type: RelayServerFrame.contentDeltaType, index: index, delta: .init(content: content))
            #expect(Array(RelayServerFrame.contentDeltaJSON(content, index: index).readableBytesView) == Array(try sortedEncoder.encode(frame)))
            let decoded = try JSONDecoder().decode(
                RelayServerFrame.self,
                from: Data(RelayServerFrame.contentDeltaJSON(content, index: index).readableBytesView)
            )
            #expect(decoded == frame)
        }
        let start = RelayServerFrame(type: RelayServerFrame.contentBlockStartType, index: 0)
        #expect(Array(RelayServerFrame.contentBlockStartJSON(index: 0).readableBytesView) == Array(try sortedEncoder.encode(start)))
    }
}
