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
            ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
        }
        return recorded + [
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"caf\u00e9 \ud83d\ude00"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","text":"b"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":null}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"q\":","extra":[1,{"x":2}]}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":5}}"#,
            #"{"type":"ping"}"#, #"{"type": "ping"}   "#, #"{"type":"message_stop" }"#,
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
            #expect(reference.message == nil && reference.contentBlock == nil && reference.usage == nil && reference.error == nil, "\(text)")
        }
        #expect(scannedCount > 20, "the fast path reads the usual deltas")
    }

    @Test("what the fast path leaves to JSONDecoder: other members, repeated keys, null or odd deltas")
    func handsOver() {
        #expect(AnthropicPayload.scanned(#"{"type":"message_start","message":{"usage":{"input_tokens":3}}}"#) == nil)
        #expect(AnthropicPayload.scanned(#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","text":"b"}}"#) == nil)
        #expect(AnthropicPayload.scanned(#"{"type":"content_block_delta","index":0,"delta":null}"#) == nil)
        #expect(AnthropicPayload.scanned(#"{"type":"content_block_delta","index":0,"delta":{"text":5}}"#) == nil)
        #expect(AnthropicPayload.scanned(#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":6}}"#) == nil)
        #expect(AnthropicPayload.scanned(#"not json"#) == nil)
        let delta = AnthropicPayload.scanned(#"{"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"hm"}   }"#)
        #expect(delta?.delta?.billedText == "hm")
    }
}
