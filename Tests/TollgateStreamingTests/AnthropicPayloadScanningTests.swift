import Foundation
import Testing
import TollgateTestSupport

@testable import TollgateStreaming

@Suite("Anthropic events: the scanner's fast path reads what JSONDecoder reads")
struct AnthropicPayloadScanningTests {
    /// Every `data:` payload of the recorded streams, plus shapes the fast path must hand over.
    static var payloads: [String] {
        let folder = URL(fileURLWithPath: RecordedStreams.messagesDirectory)
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        let recorded = files.filter { $0.pathExtension == "sse" }.flatMap { file in
            ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.hasPrefix("data: ") }.map {
                String($0.dropFirst(6))
            }
        }
        return recorded + [
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"caf\u00e9 \ud83d\ude00"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","text":"b"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":null}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"q\":","extra":[1,{"x":2}]}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":5}}"#,
            #"{"type":"ping"}"#, #"{"type": "ping"}   "#, #"{"type":"message_stop" }"#,
            #"{"type":"message_start","message":{"id":"msg_1","content":[],"stop_reason":null,"usage":{"input_tokens":12,"cache_creation":{"ephemeral_5m_input_tokens":10,"ephemeral_1h_input_tokens":20},"cache_read_input_tokens":100,"service_tier":"standard","output_tokens":1}}}"#,
            #"{"type":"message_start","message":{"usage":{"input_tokens":1.5}}}"#,
            #"{"type":"message_start","message":{"usage":{"input_tokens":3,"input_tokens":4}}}"#,
            #"{"type":"message_start","message":{"usage":null}}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":-1,"server_tool_use":{"web_search_requests":2}}}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":true}}"#,
            #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}"#,
            #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}}"#,
            #"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"#,
            #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
        ]
    }

    @Test("every recorded event and edge shape: scanned (when the scanner reads it) equals decoded")
    func agreesWithDecoder() throws {
        let payloads = Self.payloads
        #expect(payloads.count > 40, "the recorded streams were found")
        var scannedCount = 0
        for text in payloads {
            let decoded = try? JSONDecoder().decode(AnthropicPayload.self, from: Data(text.utf8))
            guard let scanned = AnthropicPayload.scanned(text) else { continue }
            scannedCount += 1
            let reference = try #require(decoded, "the scanner read what JSONDecoder refuses: \(text)")
            #expect(scanned.type == reference.type, "\(text)")
            #expect(scanned.delta?.type == reference.delta?.type, "\(text)")
            #expect(scanned.delta?.billedText == reference.delta?.billedText, "\(text)")
            #expect(scanned.delta?.stopReason == reference.delta?.stopReason, "\(text)")
            #expect(scanned.message?.usage == reference.message?.usage, "\(text)")
            #expect(scanned.usage == reference.usage, "\(text)")
            #expect(scanned.contentBlock?.type == reference.contentBlock?.type, "\(text)")
            #expect(scanned.contentBlock?.text == reference.contentBlock?.text, "\(text)")
            #expect(scanned.contentBlock?.thinking == reference.contentBlock?.thinking, "\(text)")
            #expect(scanned.contentBlock?.name == reference.contentBlock?.name, "\(text)")
            #expect(scanned.contentBlock?.input == reference.contentBlock?.input, "\(text)")
            #expect(reference.error == nil && reference.content == nil && reference.stopReason == nil, "\(text)")
        }
        #expect(scannedCount > 20, "the fast path reads the usual deltas")
        let starts = payloads.filter {
            $0.contains(#""type":"message_start""#) || $0.contains(#""type":"message_delta""#) || $0.contains(#""type":"content_block_start""#)
        }
        #expect(starts.filter { AnthropicPayload.scanned($0) != nil }.count >= 6, "the fast path reads the recorded starts and the final delta too")
    }

    @Test(
        "what the fast path leaves to JSONDecoder: other members, repeated keys, null or odd deltas, floats or booleans in usage, a tool block's input"
    )
    func handsOver() {
        #expect(AnthropicPayload.scanned(#"{"type":"message_start","message":{"usage":{"input_tokens":1.5}}}"#) == nil)
        #expect(AnthropicPayload.scanned(#"{"type":"message_start","message":{"usage":{"input_tokens":3,"input_tokens":4}}}"#) == nil)
        #expect(AnthropicPayload.scanned(#"{"type":"message_start","message":{"usage":null}}"#) == nil)
        #expect(AnthropicPayload.scanned(#"{"type":"message_start","message":{"usage":{"cache_creation":{"deep":{"x":1}}}}}"#) == nil)
        #expect(AnthropicPayload.scanned(#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":true}}"#) == nil)
        #expect(
            AnthropicPayload.scanned(
                #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","name":"f","input":{"city":"Paris"}}}"#
            ) == nil
        )
        #expect(AnthropicPayload.scanned(#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#) == nil)
        #expect(AnthropicPayload.scanned(#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","text":"b"}}"#) == nil)
        #expect(AnthropicPayload.scanned(#"{"type":"content_block_delta","index":0,"delta":null}"#) == nil)
        #expect(AnthropicPayload.scanned(#"{"type":"content_block_delta","index":0,"delta":{"text":5}}"#) == nil)
        #expect(AnthropicPayload.scanned(#"not json"#) == nil)
        let delta = AnthropicPayload.scanned(#"{"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"hm"}   }"#)
        #expect(delta?.delta?.billedText == "hm")
    }

    @Test("message_start, content_block_start and message_delta are read by the fast path, usage as JSONDecoder reads it")
    func readsStartsAndFinalDelta() throws {
        let start = try #require(
            AnthropicPayload.scanned(
                #"{"type":"message_start","message":{"id":"m","content":[],"usage":{"input_tokens":3,"cache_creation":{"ephemeral_1h_input_tokens":2},"service_tier":"standard","stop":null}}}"#
            )
        )
        #expect(
            start.message?.usage == [
                "input_tokens": .integer(3), "cache_creation": .object(["ephemeral_1h_input_tokens": .integer(2)]),
                "service_tier": .string("standard"), "stop": .null,
            ]
        )
        let final = try #require(
            AnthropicPayload.scanned(#"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}"#)
        )
        #expect(final.delta?.stopReason == "end_turn" && final.usage == ["output_tokens": .integer(6)])
        let tool = try #require(
            AnthropicPayload.scanned(
                #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}"#
            )
        )
        #expect(tool.contentBlock?.name == "get_weather" && tool.contentBlock?.input == .object([:]))
    }
}
