import Foundation
import Testing
import TollgateStreaming

@testable import TollgateRelaySim

@Suite("The simulator's Anthropic Messages answers")
struct MessagesAnswerTests {
    let counter: SimulatorTokenCounter = { _, text in text.split(separator: " ").count }

    func answer(_ json: String) throws -> MessagesAnswer {
        MessagesAnswer(body: try JSONDecoder().decode([String: JSONValue].self, from: Data(json.utf8)), tokenCounter: counter)
    }

    @Test("a stream is message_start, blocks with their deltas, a ping, message_delta with the output, message_stop")
    func eventOrder() throws {
        let plain = try answer(#"{"model":"claude-sonnet-4.5","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"Hello there"}]}"#)
        let names = plain.events.map(\.0)
        #expect(names.first == "message_start")
        #expect(Array(names.suffix(3)) == ["content_block_stop", "message_delta", "message_stop"])
        #expect(names.contains("ping"))
        #expect(plain.events.filter { $0.0 == "content_block_delta" }.count == plain.text.count)
        #expect(plain.events[plain.events.count - 2].1.serialized.contains(#""output_tokens":\#(plain.outputTokens)"#))
        #expect(plain.stopReason == "end_turn")
    }

    @Test("thinking when asked, a tool call when tools are given, none once a tool result came back")
    func surface() throws {
        let thinking = try answer(
            #"{"model":"m","max_tokens":20,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"hi"}]}"#
        )
        #expect(!thinking.thinking.isEmpty)
        #expect(thinking.events.contains { $0.1.serialized.contains("signature_delta") })
        let tools = #"[{"name":"search","input_schema":{"type":"object"}}]"#
        let call = try answer(#"{"model":"m","max_tokens":20,"tools":\#(tools),"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(call.tool?.name == "search" && call.stopReason == "tool_use")
        #expect(call.message.serialized.contains(#""type":"tool_use""#))
        let answered = try answer(
            #"{"model":"m","max_tokens":20,"tools":\#(tools),"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"ok"}]}]}"#
        )
        #expect(answered.tool == nil && answered.stopReason == "end_turn")
    }

    @Test("cache fields and error statuses come from the tollgate_sim controls")
    func controls() throws {
        let cached = try answer(
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"a b c d e f g h i j k l m n o p q r s t u v w x y z"}],"tollgate_sim":{"cache_read":5,"cache_write_5m":3,"cache_write_1h":2}}"#
        )
        let start = cached.events[0].1.serialized
        #expect(start.contains(#""cache_read_input_tokens":5"#))
        #expect(start.contains(#""cache_creation_input_tokens":5"#))
        #expect(start.contains(#""ephemeral_5m_input_tokens":3,"ephemeral_1h_input_tokens":2"#))
        #expect(cached.inputTokens == 26 - 10)
        let refused = try answer(#"{"model":"m","max_tokens":5,"messages":[],"tollgate_sim":{"status":529,"retry_after":4}}"#)
        #expect(refused.errorStatus == 529 && refused.retryAfter == 4)
        #expect(MessagesResponder.type(for: 529) == "overloaded_error")
        #expect(MessagesResponder.type(for: 402) == "billing_error")
    }
}
