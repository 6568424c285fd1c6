import Foundation
import Testing

@testable import TollgateStreaming

/// A request body is read by `JSONScanner` when it is certain, and by `JSONDecoder` otherwise: both
/// readings must be the same value, and what the scanner gives up on must still be decoded (or
/// refused) as before.
@Suite("Request bodies read by the scanner")
struct RequestBodyScanTests {
    private func scanned(_ text: String) -> [String: JSONValue]? {
        Array(text.utf8).withUnsafeBufferPointer(JSONScanner.object)
    }

    private func decoded(_ text: String) -> [String: JSONValue]? {
        try? JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8))
    }

    @Test("usual bodies are read by the scanner, to exactly what JSONDecoder reads")
    func usualBodiesAgree() throws {
        let bodies = [
            #"{"model":"gpt-4.1","messages":[{"role":"user","content":"Benchmark the gateway."}],"max_tokens":16,"stream":true}"#,
            #"{ "model": "gpt-4.1", "messages": [{"role":"developer","content":"x"},{"role":"user","name":"ann","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AA=="}}]},{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{\"a\": [1, 2]}"}}]},{"role":"tool","tool_call_id":"c","content":"42"}], "temperature": 0.7, "top_p": 0.25, "seed": 12345678901234567, "future_field": {"nested": [1.50, "\u00e9", -3, -0.5, 0, -0, true, false, null, [], {}]} }"#,
            "{\n\t\"model\" : \"m\" ,\r\n \"messages\" : [ { \"role\" : \"user\" , \"content\" : \"línea\\nnueva \\\"citada\\\" \\\\ \\/ \\b\\f\\r\\t 😀 \\ud83d\\ude00 \\u0041\" } ] }",
            #"{"model":"m","messages":[{"role":"user","content":"你好，世界"}],"n":2,"stream_options":{"include_usage":true},"logit_bias":{"50256":-100}}"#,
            #"{"a":-9223372036854775808,"b":9223372036854775807,"c":0.1,"d":-123.456,"e":1.0000000000000002}"#,
            "{}",
        ]
        for body in bodies {
            let fast = try #require(scanned(body), "the scanner gave up on \(body)")
            #expect(fast == decoded(body), "\(body)")
            #expect(try ChatRequestBody(bytes: Array(body.utf8)).json == fast)
        }
    }

    @Test("what the scanner gives up on goes to JSONDecoder: repeats, exponents, integral fractions, huge integers, deep nesting")
    func givesUpWhereUnsure() throws {
        let deep = String(repeating: "[", count: 80) + String(repeating: "]", count: 80)
        let unsure = [
            #"{"model":"a","model":"b"}"#,
            #"{"top_p":1e-1}"#,
            #"{"temperature":1.0}"#,
            #"{"temperature":2.9999999999999999999}"#,
            #"{"seed":92233720368547758070}"#,
            #"{"x":\#(deep)}"#,
        ]
        for body in unsure {
            #expect(scanned(body) == nil, "\(body)")
            // Still read, by JSONDecoder, to its value.
            #expect(try ChatRequestBody(bytes: Array(body.utf8)).json == decoded(body), "\(body)")
        }
        // A lone surrogate: JSONDecoder reads it as U+FFFD once `LoneSurrogates` replaced it, as before.
        let lone = #"{"content":"\ud800"}"#
        #expect(scanned(lone) == nil)
        #expect(try ChatRequestBody(bytes: Array(lone.utf8)).json == ["content": .string("\u{FFFD}")])
    }

    @Test("malformed bodies are given up on by the scanner and refused as before")
    func malformedIsRefused() {
        let malformed: [[UInt8]] = [
            Array(#"{"model":"m""#.utf8), Array(#"{"model":"m"} x"#.utf8), Array(#"["model"]"#.utf8), Array(#"{"a":01}"#.utf8),
            Array(#"{"a":-}"#.utf8), Array(#"{"a":1.}"#.utf8), Array(#"{"a":"\x"}"#.utf8), Array("{\"a\":\"\u{01}\"}".utf8),
            Array(#"{"a":tru}"#.utf8), [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D],
        ]
        for body in malformed {
            #expect(body.withUnsafeBufferPointer(JSONScanner.object) == nil, "\(String(decoding: body, as: UTF8.self))")
            #expect(throws: StreamingError.self) { try ChatRequestBody(bytes: body) }
        }
    }
}
