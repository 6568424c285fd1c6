import NIOCore
import Testing

@testable import TollgateStreaming

@Suite("Anthropic Messages events read for metering, relayed untouched")
struct AnthropicStreamInterpreterTests {
    func chunks(_ step: RelayStreamInterpreter.Step) -> [RelayedChunk] {
        let events: [ChatEvent]
        switch step {
        case .deliver(let more), .finish(let more): events = more
        case .fail: return []
        }
        return events.compactMap { if case .relayed(let chunk) = $0 { chunk } else { nil } }
    }

    @Test("every event is one relayed chunk with its name and bytes; billed output is text, thinking, tool names and input JSON, never signatures")
    func billedOutput() throws {
        var interpreter = AnthropicStreamInterpreter()
        let cases: [(String, String, String, Int)] = [
            ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}"#, "", 0),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}"#, "hmm", 0),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAh"}}"#, "", 0),
            ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hi"}}"#, "Hi", 0),
            (
                "content_block_start",
                #"{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"t","name":"get_weather","input":{}}}"#,
                "get_weather", 1
            ),
            (
                "content_block_delta", #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}}"#,
                #"{"a":"#, 0
            ),
            ("ping", #"{"type": "ping"}"#, "", 0),
            ("brand_new_event", #"{"type":"brand_new_event","text":"not output"}"#, "", 0),
        ]
        for (name, data, billed, calls) in cases {
            let chunk = try #require(chunks(interpreter.receive(event: name, data: data)).first)
            #expect(chunk.event == name)
            #expect(String(buffer: chunk.payload) == data)
            #expect(chunk.output.map(\.text).joined() == billed, "\(name)")
            #expect(chunk.toolCalls == calls)
            #expect(chunk.usage == nil)
        }
    }

    @Test("usage: message_start's input and cache fields merged with message_delta's cumulative output, on the message_delta chunk")
    func usageMerged() throws {
        var interpreter = AnthropicStreamInterpreter()
        let start = chunks(
            interpreter.receive(
                event: "message_start",
                data:
                    #"{"type":"message_start","message":{"usage":{"input_tokens":12,"cache_creation_input_tokens":30,"cache_read_input_tokens":100,"cache_creation":{"ephemeral_5m_input_tokens":10,"ephemeral_1h_input_tokens":20},"output_tokens":1}}}"#
            )
        )
        #expect(start.first?.usage == nil, "a stream cut before message_delta is billed on Tollgate's own count")
        let delta = try #require(
            chunks(
                interpreter.receive(
                    event: "message_delta",
                    data: #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":42}}"#
                )
            ).first
        )
        let usage = try #require(delta.usage)
        #expect(usage.inputTokens == 142)
        #expect(usage.cachedInputTokens == 100)
        #expect(usage.cacheWrite5mTokens == 10)
        #expect(usage.cacheWrite1hTokens == 20)
        #expect(usage.outputTokens == 42)
        #expect(usage.isWholeNumbers)
        let stop = interpreter.receive(event: "message_stop", data: #"{"type":"message_stop"}"#)
        guard case .finish(let events) = stop else {
            Issue.record("message_stop ends the stream: \(stop)")
            return
        }
        #expect(events.count == 2)
        if case .done(let completion)? = events.last {
            #expect(completion.finishReason == "end_turn" && completion.isRelayed)
        } else {
            Issue.record("no done")
        }
    }

    @Test("usage fields: a plain cache_creation_input_tokens is the 5-minute cache; a later input report wins; a non-integer is flagged")
    func usageFields() {
        let plain = AnthropicStreamInterpreter.usage(
            start: ["input_tokens": .integer(5), "cache_creation_input_tokens": .integer(7)],
            update: ["output_tokens": .integer(3)]
        )
        #expect(plain.inputTokens == 12 && plain.cacheWrite5mTokens == 7 && plain.cacheWrite1hTokens == 0 && plain.outputTokens == 3)
        let later = AnthropicStreamInterpreter.usage(
            start: ["input_tokens": .integer(5)],
            update: ["input_tokens": .integer(9), "output_tokens": .integer(3)]
        )
        #expect(later.inputTokens == 9)
        let fraction = AnthropicStreamInterpreter.usage(start: ["input_tokens": .number(1.5)], update: ["output_tokens": .integer(3)])
        #expect(!fraction.isWholeNumbers)
        let negative = AnthropicStreamInterpreter.usage(start: [:], update: ["output_tokens": .integer(-3)])
        #expect(!negative.isWholeNumbers)
    }

    @Test("an error event fails the stream with the upstream's type and message; a non-JSON event is a protocol violation")
    func errors() {
        var interpreter = AnthropicStreamInterpreter()
        guard
            case .fail(let error) = interpreter.receive(
                event: "error",
                data: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
            )
        else {
            Issue.record("an error event fails the stream")
            return
        }
        #expect(error.upstreamMessage == "Overloaded")
        var other = AnthropicStreamInterpreter()
        guard case .fail(let garbage) = other.receive(event: "message_start", data: "<html>") else {
            Issue.record("garbage fails")
            return
        }
        #expect(garbage.kind == .protocolViolation)
    }

    @Test("a body that ends without message_stop is incomplete; after message_stop nothing more is read")
    func endings() {
        var cut = AnthropicStreamInterpreter()
        _ = cut.receive(event: "message_start", data: #"{"type":"message_start","message":{"usage":{"input_tokens":1}}}"#)
        guard case .fail(let error) = cut.endOfBody() else {
            Issue.record("incomplete")
            return
        }
        #expect(error.kind == .upstreamClosedBeforeDone)
        var done = AnthropicStreamInterpreter()
        _ = done.receive(event: "message_stop", data: #"{"type":"message_stop"}"#)
        #expect(done.endOfBody() == .deliver([]))
    }

    @Test("a whole body: its text, thinking and tool calls are output, its usage mapped the same way")
    func wholeBody() throws {
        var interpreter = AnthropicStreamInterpreter()
        let body =
            #"{"type":"message","content":[{"type":"thinking","thinking":"ok","signature":"sig"},{"type":"text","text":"Hi."},{"type":"tool_use","id":"t","name":"f","input":{"q":1}}],"stop_reason":"tool_use","usage":{"input_tokens":3,"cache_read_input_tokens":4,"output_tokens":5}}"#
        let chunk = try #require(chunks(interpreter.relayBody(ByteBuffer(string: body))).first)
        #expect(chunk.kind == .body)
        #expect(chunk.output.first?.text == #"okHi.f{"q":1}"#)
        #expect(chunk.toolCalls == 1)
        #expect(chunk.usage?.inputTokens == 7 && chunk.usage?.cachedInputTokens == 4 && chunk.usage?.outputTokens == 5)
        var failing = AnthropicStreamInterpreter()
        guard case .fail = failing.relayBody(ByteBuffer(string: #"{"type":"error","error":{"type":"api_error","message":"x"}}"#)) else {
            Issue.record("error body")
            return
        }
    }

    @Test("an Anthropic body goes upstream as sent, with only a lowered max_tokens spliced in place and no stream_options")
    func upstreamBytes() throws {
        let text = #"{"model":"claude-sonnet-4.5","max_tokens" : 4096,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#
        let body = try ChatRequestBody(bytes: Array(text.utf8), api: .anthropicMessages)
        #expect(body.upstreamBytes(outputLimit: nil) == Array(text.utf8))
        #expect(String(decoding: body.upstreamBytes(outputLimit: 100), as: UTF8.self) == text.replacingOccurrences(of: "4096", with: "100"))
    }

    @Test("the Messages URL is the relay's base with /v1/messages")
    func messagesURL() {
        #expect(ChatCompletionsClient.messagesURL(besides: "https://relay.example/v1/chat/completions") == "https://relay.example/v1/messages")
        #expect(ChatCompletionsClient.messagesURL(besides: "http://127.0.0.1:8080/other") == "http://127.0.0.1:8080/v1/messages")
        let client = ChatCompletionsClient(url: "http://a/v1/chat/completions", apiKey: "k", messagesURL: "http://b/anthropic/v1/messages")
        #expect(client.messagesURL == "http://b/anthropic/v1/messages")
    }

    @Test("--anthropic-upstream routes Messages bodies to their own upstream, everything else to the main one; a non-http URL is refused")
    func anthropicUpstream() throws {
        for given in ["https://api.anthropic.com", "https://api.anthropic.com/v1", "https://api.anthropic.com/v1/messages/"] {
            let route = try #require(try UpstreamClientFactory.client(url: "wss://relay.example", apiKey: "k", anthropicURL: given) as? MessagesRoute)
            #expect(route.messages.messagesURL == "https://api.anthropic.com/v1/messages")
            #expect(route.main is RelayWebSocketClient)
        }
        #expect(try UpstreamClientFactory.client(url: "https://relay.example", apiKey: "k", anthropicURL: nil) is ChatCompletionsClient)
        #expect(throws: StreamingError.self) { try UpstreamClientFactory.client(url: "https://relay.example", apiKey: "k", anthropicURL: "ws://x") }
    }
}
