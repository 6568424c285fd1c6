import Foundation
import Testing

@testable import TollgateStreaming

/// Upstream payloads in the shapes real providers send, plus the edges of the JSON grammar.
let chunkTexts: [String] = [
    #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}"#,
    #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}"#,
    #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}"#,
    #"{"choices":[{"delta":{"content":"x"},"index":0}],"created":1,"id":"a","model":"m","object":"chat.completion.chunk"}"#,
    #"{"choices":[{"delta":{"content":"esc \" \\ \/ \b\f\n\r\t \u00e9 \u4E2D \ud83c\udf89 \u0000"},"index":0}]}"#,
    #"{"choices":[{"delta":{"content":"é中🎉 raw UTF-8"},"index":0}]}"#,
    #"  { "choices" : [ { "index" : 0 , "delta" : { "content" : "spaced" } } ] , "created" : -5 }  "#,
    "{\n\t\"choices\":[{\"index\":0,\"delta\":{\"content\":\"newlines\"}}]\r\n}",
    #"{"choices":[{"index":1,"delta":{"content":"second choice"}},{"index":0,"delta":{"content":"first"},"finish_reason":"length"}]}"#,
    #"{"choices":[]}"#, #"{"choices":null}"#, #"{}"#, #"{"id":null,"model":null,"created":null,"object":null}"#,
    #"{"choices":[{"index":0,"delta":{"content":null,"role":null,"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":"{\"a\":1}"}}]}}]}"#,
    #"{"x":{"deep":[1,-2.5,3e10,4E-2,0.0,true,false,null,"s",{"k":[[]]}]},"choices":[{"index":0,"delta":{"content":"after unknown"}}]}"#,
    #"{"choices":[{"index":0,"delta":{"role":"system"}}],"created":9223372036854775807}"#,
]

/// Texts the scanner must hand to JSONDecoder (which may accept or refuse them).
let unusualChunkTexts: [String] = [
    #"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12,"prompt_tokens_details":{"cached_tokens":2}}}"#,
    #"{"error":{"message":"overloaded","type":"server_error","code":"overloaded"}}"#,
    #"{"choices":[{"index":0,"delta":{"role":"tool"}}]}"#,
    #"{"choices":[{"index":0,"delta":{"content":"a"},"delta":{"content":"b"}}]}"#,
    #"{"id":"a","id":"b"}"#,
    #"{"created":1.0}"#, #"{"created":1e3}"#, #"{"created":99999999999999999999}"#,
    #"{"choices":[{"index":0,"delta":{"content":"lone \ud83c surrogate"}}]}"#,
    #"{"choices":[{"index":0,"delta":{"content":"bad \x escape"}}]}"#,
    #"{"choices":[{"delta":{"content":"no index"}}]}"#, #"{"choices":[{"index":0}]}"#, #"{"choices":[{"index":0,"delta":null}]}"#,
    #"{"id":5}"#, #"{"choices":{}}"#, #"{"choices":[{"index":"0","delta":{}}]}"#,
    #"{"a":"#, #"{"a":1,}"#, #"{"a":01}"#, #"{"a":tru}"#, #"{"a":1} trailing"#, "", "[DONE]", "[]", "null", "\"text\"",
    "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"raw\u{01}control\"}}]}",
    String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
    "{\"x\":" + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}",
]

private func decoded<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
    try? JSONDecoder().decode(type, from: Data(text.utf8))
}

@Suite("Upstream chunk scanning (fast path) against JSONDecoder")
struct ChunkScanningTests {
    @Test("the usual chunk shapes are read by the scanner and equal JSONDecoder's result", arguments: chunkTexts)
    func usualShapes(_ text: String) throws {
        let scanned = try #require(ChatCompletionsChunk.scanned(text), "the scanner gave up on \(text)")
        #expect(scanned == decoded(ChatCompletionsChunk.self, text))
    }

    @Test(
        "anything unusual goes to JSONDecoder: usage and error objects, repeated keys, unknown roles, non-integers, bad escapes, malformed text",
        arguments: unusualChunkTexts
    )
    func unusualShapesFallBack(_ text: String) {
        #expect(ChatCompletionsChunk.scanned(text) == nil)
        let viaDecoder = decoded(ChatCompletionsChunk.self, text)
        #expect((try? ChatCompletionsChunk.decode(text, decoder: JSONDecoder())) == viaDecoder)
    }

    @Test("usage and error objects are read in full through the fallback")
    func usageAndErrorAreNotDropped() throws {
        let usage = try ChatCompletionsChunk.decode(unusualChunkTexts[0], decoder: JSONDecoder())
        #expect(usage.usage == ChatCompletionsUsage(promptTokens: 5, completionTokens: 7, cachedTokens: 2))
        let error = try ChatCompletionsChunk.decode(unusualChunkTexts[1], decoder: JSONDecoder())
        #expect(error.error == .init(message: "overloaded", type: "server_error", code: "overloaded"))
    }

    @Test("malformed text is refused with JSONDecoder's error, and the interpreter reports a protocol violation")
    func malformedTextErrors() {
        #expect(throws: DecodingError.self) {
            try ChatCompletionsChunk.decode(#"{"choices":[{"index":0,"delta":{"content":"cut"#, decoder: JSONDecoder())
        }
        var interpreter = ChatCompletionsStreamInterpreter()
        guard case .fail(let error) = interpreter.receive(data: #"{"choices":[{"index":0,"delta":{"content":"cut"#) else {
            Issue.record("a truncated chunk was accepted")
            return
        }
        #expect(error.kind == .protocolViolation)
    }

    @Test("every prefix and every one-byte corruption of a real chunk: the scanner answers only what JSONDecoder answers", arguments: chunkTexts)
    func prefixesAndCorruptions(_ text: String) {
        let bytes = Array(text.utf8)
        var variants = (0..<bytes.count).map { String(decoding: bytes[..<$0], as: UTF8.self) }
        let replacements: [UInt8] = Array(#"{}[]":,\ 0x-"#.utf8)
        for position in stride(from: 0, to: bytes.count, by: 3) {
            for replacement in replacements {
                var corrupted = bytes
                corrupted[position] = replacement
                variants.append(String(decoding: corrupted, as: UTF8.self))
            }
        }
        for variant in variants {
            if let scanned = ChatCompletionsChunk.scanned(variant) {
                #expect(scanned == decoded(ChatCompletionsChunk.self, variant), "\(variant)")
            }
        }
    }

    @Test("chunks JSONEncoder writes from random fields round-trip through the scanner", arguments: 0..<20)
    func encodedRoundTrip(_ seed: Int) throws {
        let strings = randomStrings(count: 12, seed: UInt64(seed) + 100)
        let roles: [ChatRole?] = [nil, .assistant, .user, .system]
        let chunk = ChatCompletionsChunk(
            id: strings[0],
            model: strings[1],
            created: seed * 1_000_003 - 7,
            choices: (0..<(seed % 3)).map { index in
                .init(
                    index: index,
                    delta: .init(role: roles[(seed + index) % 4], content: index == 1 ? nil : strings[2 + index]),
                    finishReason: seed % 2 == 0 ? nil : strings[5]
                )
            }
        )
        for encoder in [JSONEncoder(), sortedEncoder] {
            let text = String(decoding: try encoder.encode(chunk), as: UTF8.self)
            #expect(ChatCompletionsChunk.scanned(text) == chunk, "\(text)")
        }
    }
}

@Suite("Relay frame scanning (fast path) against JSONDecoder")
struct RelayFrameScanningTests {
    static let usual: [String] = [
        #"{"type":"session_established","session_id":"s1","model":"gpt-4.1"}"#,
        #"{"type":"content_block_start","index":0}"#,
        #"{"type":"content_delta","index":0,"delta":{"content":"Hi \"there\" \u00e9\n"}}"#,
        #"{"type":"content_delta","delta":{"content":null,"extra":[1,2]},"unknown":{"a":true}}"#,
        #"{"type":"message_done","usage":{"input_tokens":5,"output_tokens":1,"cached":3},"finish_reason":"stop"}"#,
        #"{"type":"error","message":"overloaded","code":"overloaded","status":529}"#,
        #"{"type":"ping","delta":null,"usage":null,"index":null}"#,
    ]

    static let unusual: [String] = [
        #"{"index":0}"#, #"{"type":null}"#, #"{"type":"a","type":"b"}"#, #"{"type":"message_done","usage":{"input_tokens":5}}"#,
        #"{"type":"error","status":"529"}"#, #"{"type":"content_delta","delta":"text"}"#, #"{"type":"x""#, "not json",
    ]

    @Test("the relay's frames are read by the scanner and equal JSONDecoder's result", arguments: usual)
    func usualFrames(_ text: String) throws {
        let scanned = try #require(RelayServerFrame.scanned(text), "the scanner gave up on \(text)")
        #expect(scanned == decoded(RelayServerFrame.self, text))
    }

    @Test("unusual frames go to JSONDecoder", arguments: unusual)
    func unusualFramesFallBack(_ text: String) {
        #expect(RelayServerFrame.scanned(text) == nil)
        #expect((try? RelayServerFrame.decode(text, decoder: JSONDecoder())) == decoded(RelayServerFrame.self, text))
    }

    @Test("every prefix and one-byte corruption of a frame: the scanner answers only what JSONDecoder answers", arguments: usual)
    func prefixesAndCorruptions(_ text: String) {
        let bytes = Array(text.utf8)
        var variants = (0..<bytes.count).map { String(decoding: bytes[..<$0], as: UTF8.self) }
        for position in 0..<bytes.count {
            for replacement in Array(#"{}[]":,\ 0-"#.utf8) {
                var corrupted = bytes
                corrupted[position] = replacement
                variants.append(String(decoding: corrupted, as: UTF8.self))
            }
        }
        for variant in variants {
            if let scanned = RelayServerFrame.scanned(variant) {
                #expect(scanned == decoded(RelayServerFrame.self, variant), "\(variant)")
            }
        }
    }

    @Test("a malformed frame is still a protocol violation naming the frame")
    func malformedFrame() {
        var interpreter = RelayStreamInterpreter()
        guard case .fail(let error) = interpreter.receive(text: #"{"type":"content_delta","delta":{"content":"cut"#) else {
            Issue.record("a truncated frame was accepted")
            return
        }
        #expect(error.kind == .protocolViolation)
    }
}
