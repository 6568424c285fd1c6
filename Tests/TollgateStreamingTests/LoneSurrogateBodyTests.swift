import Foundation
import Testing

@testable import TollgateStreaming

/// Escaped lone surrogates (`"\ud800"`) are valid JSON: read as U+FFFD, forwarded as sent.
@Suite("Lone surrogates in client bodies")
struct LoneSurrogateBodyTests {
    func replaced(_ text: String) -> String? {
        LoneSurrogates.replaced(in: Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("lone high and low halves become \\ufffd in place; pairs, other escapes and text outside strings are left alone")
    func replacement() {
        #expect(replaced(#"{"a":"x\ud800y"}"#) == #"{"a":"x\ufffdy"}"#)
        #expect(replaced(#"{"a":"\uDC00"}"#) == #"{"a":"\ufffd"}"#)
        // A high half followed by another high half: the first is lone, the second pairs.
        #expect(replaced(#"{"a":"\ud800\ud83d\ude00"}"#) == #"{"a":"\ufffd\ud83d\ude00"}"#)
        #expect(replaced(#"{"\ud800":1}"#) == #"{"\ufffd":1}"#)
        // Nothing to replace: a valid pair, an escaped backslash before "ud800", a plain \u escape.
        #expect(replaced(#"{"a":"\ud83d\ude00"}"#) == nil)
        #expect(replaced(#"{"a":"\\ud800"}"#) == nil)
        #expect(replaced(#"{"a":"\u00e9 \n"}"#) == nil)
        // Truncated escapes are not this reader's to judge.
        #expect(replaced(#"{"a":"\ud8"#) == nil)
        // Same length: every offset is the original's.
        let text = #"{"messages":[{"role":"user","content":"a \ud800 b"}],"model":"m"}"#
        #expect(replaced(text)?.utf8.count == text.utf8.count)
    }

    @Test("a body with a lone surrogate parses (the text reads U+FFFD) and goes upstream as sent")
    func parsedAndForwarded() throws {
        let text = #"{"model":"gpt-4.1","messages":[{"role":"user","content":"a \ud800 b"}]}"#
        let body = try ChatRequestBody(bytes: Array(text.utf8))
        guard case .array(let messages)? = body.json["messages"], case .object(let message)? = messages.first else {
            Issue.record("messages not read: \(body.json)")
            return
        }
        #expect(message["content"] == .string("a \u{FFFD} b"))
        #expect(String(decoding: body.upstreamBytes(outputLimit: nil), as: UTF8.self) == text)
    }

    @Test("a lone surrogate, even in a key, cannot hide a stream or a token limit from the splices")
    func splicesStillApply() throws {
        let text = #"{"model":"gpt-4.1","\udfff":"\ud800","messages":[{"role":"user","content":"hi"}],"stream":true,"max_tokens":4000}"#
        let body = try ChatRequestBody(bytes: Array(text.utf8))
        let forwarded = String(decoding: body.upstreamBytes(outputLimit: 100), as: UTF8.self)
        #expect(
            forwarded
                == #"{"model":"gpt-4.1","\udfff":"\ud800","messages":[{"role":"user","content":"hi"}],"stream":true,"max_tokens":100,"stream_options":{"include_usage":true}}"#
        )
    }

    @Test("text that is not JSON is still refused, lone surrogate or not")
    func stillRefused() {
        #expect(throws: StreamingError.self) { try ChatRequestBody(bytes: Array(#"{"a":"\ud800""#.utf8)) }
        #expect(throws: StreamingError.self) { try ChatRequestBody(bytes: Array(#"["\ud800"]"#.utf8)) }
    }
}
