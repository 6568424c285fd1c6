import Testing
import TollgateTestSupport

@testable import TollgateStreaming

/// Seeded fuzz of what an upstream sends: SSE bytes cut at random places, the chunk and frame JSON
/// inside them. Nothing may trap; every input ends as events, a typed error, or a clean failure.
@Suite("Seeded fuzz of the SSE parser and upstream interpreters")
struct UpstreamFuzzTests {

    static let pieces = [
        "data: ", "event: ", "id: 7", "retry: 10", ": comment", "\n", "\r\n", "\r", "\n\n", "[DONE]",
        #"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}"#,
        #"{"choices":[{"delta":{"role":"assistant"}}]}"#, #"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":-5}}"#,
        #"{"usage":{"prompt_tokens":1e309,"completion_tokens":4611686018427387904}}"#, #"{"error":{"message":"boom","code":"x"}}"#,
        #"{"type":"content_delta","delta":{"content":"\ud800"}}"#, #"{"type":"message_done","usage":{"input_tokens":"3"}}"#,
        #"{"type":"session_established","session_id":null}"#, "{", "}", "[", "]", "\"", "\\", "null", ",", ":", "\u{0}", "é", "😀",
    ]

    @Test("2,000 seeded SSE streams in random cuts: the parser and both interpreters never trap")
    func streams() {
        var random = SeededGenerator(seed: 0x55E_F022)
        var events = 0
        for _ in 0..<2000 {
            var text = ""
            // Mostly event-shaped ("data: …" and a blank line), with stray pieces and bytes between.
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                text += ["data: ", "data:", "event: chunk\ndata: ", ": keep-alive\ndata: "].randomElement(using: &random)!
                for _ in 0..<Int.random(in: 1...3, using: &random) { text += Self.pieces.randomElement(using: &random)! }
                if Int.random(in: 0..<8, using: &random) == 0 {
                    text += String(UnicodeScalar(UInt8.random(in: 0...127, using: &random)))
                }
                text += ["\n\n", "\r\n\r\n", "\r\r", "\n", ""].randomElement(using: &random)!
            }
            var bytes = Array(text.utf8)
            if !bytes.isEmpty, Bool.random(using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            var parser = ServerSentEventParser()
            var sse = ChatCompletionsStreamInterpreter()
            var relay = RelayStreamInterpreter()
            var offset = 0
            while offset < bytes.count {
                let cut = min(bytes.count, offset + Int.random(in: 1...16, using: &random))
                for event in parser.feed(bytes[offset..<cut]) {
                    events += 1
                    _ = sse.receive(data: event.data)
                    _ = relay.receive(text: event.data)
                }
                offset = cut
            }
        }
        #expect(events > 1000, "the cases reach the interpreters")
    }
}
