import Foundation
import Testing

@testable import TollgateStreaming

/// The request a client sent is the request the upstream gets, changed only where metering must.
@Suite("Client bodies forwarded upstream")
struct ChatRequestBodyTests {
    func forwarded(_ body: String, limit: Int? = nil) throws -> String {
        String(decoding: try ChatRequestBody(bytes: Array(body.utf8)).upstreamBytes(outputLimit: limit), as: UTF8.self)
    }

    @Test("a non-streamed body without a lowered limit goes upstream byte for byte: roles, parts, tools, numbers' text, unknown fields")
    func unchanged() throws {
        let body =
            #"{ "model": "gpt-4.1", "messages": [{"role":"developer","content":"x"},{"role":"user","name":"ann","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AA=="}}]},{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":"42"}], "temperature": 0.7, "top_p": 1e-1, "seed": 12345678901234567, "future_field": {"nested": [1.50, "\u00e9"]} }"#
        #expect(try forwarded(body) == body)
    }

    @Test("a streaming body gets stream_options.include_usage: true, in each shape it may have")
    func includeUsageForced() throws {
        #expect(
            try forwarded(#"{"model":"m","stream":true,"messages":[]}"#)
                == #"{"model":"m","stream":true,"messages":[],"stream_options":{"include_usage":true}}"#
        )
        #expect(
            try forwarded(#"{"model":"m","stream":true,"stream_options":null}"#)
                == #"{"model":"m","stream":true,"stream_options":{"include_usage":true}}"#
        )
        #expect(try forwarded(#"{"stream":true,"stream_options":{}}"#) == #"{"stream":true,"stream_options":{"include_usage":true}}"#)
        #expect(try forwarded(#"{"stream":true,"stream_options":{"x":1}}"#) == #"{"stream":true,"stream_options":{"x":1,"include_usage":true}}"#)
        #expect(
            try forwarded(#"{"stream":true,"stream_options":{"include_usage":false, "x":1}}"#)
                == #"{"stream":true,"stream_options":{"include_usage":true, "x":1}}"#
        )
        #expect(
            try forwarded(#"{"stream":true,"stream_options":{"include_usage":true}}"#) == #"{"stream":true,"stream_options":{"include_usage":true}}"#
        )
    }

    @Test("a lowered limit is written into the field the client used, or max_tokens when it sent none")
    func limitInTheClientsField() throws {
        #expect(try forwarded(#"{"max_completion_tokens":4096,"model":"o3"}"#, limit: 100) == #"{"max_completion_tokens":100,"model":"o3"}"#)
        #expect(try forwarded(#"{"max_tokens": 4096 ,"model":"m"}"#, limit: 100) == #"{"max_tokens": 100 ,"model":"m"}"#)
        #expect(try forwarded(#"{"max_tokens":null,"model":"m"}"#, limit: 7) == #"{"max_tokens":null,"model":"m","max_tokens":7}"#)
        #expect(try forwarded(#"{"model":"m"}"#, limit: 7) == #"{"model":"m","max_tokens":7}"#)
        #expect(try forwarded(#"{"max_tokens":50,"max_completion_tokens":60}"#, limit: 9) == #"{"max_tokens":9,"max_completion_tokens":9}"#)
    }

    @Test("the parse gives every JSON kind its own case: exact integers before doubles, whatever the nesting")
    func everyKind() throws {
        let body = try ChatRequestBody(
            bytes: Array(#"{"s":"x","o":{"a":[1,2.5,true,null,"y",{}]},"i":-12345678901234567,"d":1e-1,"f":1.5,"b":false,"n":null,"e":[]}"#.utf8)
        )
        #expect(
            body.json == [
                "s": .string("x"), "o": .object(["a": .array([.integer(1), .number(2.5), .bool(true), .null, .string("y"), .object([:])])]),
                "i": .integer(-12_345_678_901_234_567), "d": .number(0.1), "f": .number(1.5), "b": .bool(false), "n": .null, "e": .array([]),
            ]
        )
    }

    @Test("the parse reads n, stream and include_usage; a body that is not a JSON object is refused")
    func parse() throws {
        let body = try ChatRequestBody(bytes: Array(#"{"n":3,"stream":true,"stream_options":{"include_usage":true}}"#.utf8))
        #expect(body.choiceCount == 3)
        #expect(body.isStreaming)
        #expect(body.clientAsksForUsage)
        #expect(throws: StreamingError.self) { try ChatRequestBody(bytes: Array("[1]".utf8)) }
        #expect(throws: StreamingError.self) { try ChatRequestBody(bytes: Array("{".utf8)) }
    }

    @Test("the relay WebSocket view: text conversations pass (developer as system, text parts joined); the rest says what it can't carry")
    func relayProtocolView() throws {
        let text = try ChatRequestBody(
            bytes: Array(
                #"{"messages":[{"role":"developer","content":"be brief"},{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}"#
                    .utf8
            )
        )
        #expect(try text.relayProtocolMessages() == [.system("be brief"), .user("ab")])
        for (body, says) in [
            (#"{"tools":[],"messages":[]}"#, "'tools'"),
            (#"{"n":2,"messages":[]}"#, "n > 1"),
            (#"{"messages":[{"role":"function","name":"f","content":"x"}]}"#, "'function' message"),
            (#"{"messages":[{"role":"assistant","tool_calls":[]}]}"#, "'tool_calls'"),
            (#"{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}"#, "'input_audio' content part"),
        ] {
            let error = try #require(throws: StreamingError.self) { try ChatRequestBody(bytes: Array(body.utf8)).relayProtocolMessages() }
            #expect(error.upstreamMessage?.contains(says) == true, "\(body) → \(error)")
        }
    }
}

/// What metering reads from relayed payloads: every output kind, per choice.
@Suite("Output scanning of relayed payloads")
struct OutputScanTests {
    @Test("content, reasoning, refusal, tool-call names and arguments, function_call and audio transcripts are output, per choice")
    func everyOutputKind() throws {
        let scan = try #require(
            OutputScan.scan(
                #"{"choices":[{"index":0,"delta":{"content":"a","reasoning_content":"b","reasoning":"c","refusal":"d","tool_calls":[{"index":0,"id":"x","type":"function","function":{"name":"e","arguments":"f"}}],"function_call":{"name":"g","arguments":"h"},"audio":{"id":"au","data":"QUJD","transcript":"i"}},"logprobs":{"content":[{"token":"a","logprob":-1.5}]},"finish_reason":null},{"index":2,"delta":{"content":"z"},"finish_reason":"length"}],"usage":null}"#
            )
        )
        #expect(scan.output == [ChoiceOutput(index: 0, text: "abcdefghi", toolCalls: 2, reasoning: "bc"), ChoiceOutput(index: 2, text: "z")])
        #expect(scan.anyFinished)
        #expect(scan.finishReason == nil, "choice 0 did not finish")
        #expect(!scan.hasUsage)
    }

    @Test("a streamed tool call starts once, in the delta carrying its name; later argument deltas start none (fast and slow paths)")
    func toolCallStarts() throws {
        let first =
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","function":{"name":"get_weather","arguments":""}},{"index":1,"id":"c2","function":{"name":"get_stock","arguments":"{"}}]}}]}"#
        let later = #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":\"Paris\"}"}}]}}]}"#
        #expect(OutputScan.scan(first)?.output == [ChoiceOutput(index: 0, text: "get_weatherget_stock{", toolCalls: 2)])
        #expect(OutputScan.scan(later)?.output == [ChoiceOutput(index: 0, text: #"{"city":"Paris"}"#, toolCalls: 0)])
        #expect(OutputScan.decoded(first)?.output == [ChoiceOutput(index: 0, text: "get_weatherget_stock{", toolCalls: 2)])
        #expect(OutputScan.decoded(later)?.output == [ChoiceOutput(index: 0, text: #"{"city":"Paris"}"#, toolCalls: 0)])
    }

    @Test("reasoning is kept apart beside the whole output, on the fast and slow paths; the usage's reasoning split decodes")
    func reasoningApart() throws {
        let chunk =
            #"{"choices":[{"index":0,"delta":{"content":null,"reasoning_content":"Think"},"finish_reason":null},{"index":1,"delta":{"content":"C","reasoning":"R"}}]}"#
        let expected = [ChoiceOutput(index: 0, text: "Think", reasoning: "Think"), ChoiceOutput(index: 1, text: "CR", reasoning: "R")]
        #expect(OutputScan.scan(chunk)?.output == expected)
        #expect(OutputScan.decoded(chunk)?.output == expected)
        let usage = OutputScan.usage(
            in: #"{"usage":{"prompt_tokens":18,"completion_tokens":219,"completion_tokens_details":{"reasoning_tokens":205}}}"#
        )
        #expect(usage.reasoningTokens == 205 && usage.outputTokens == 219 && usage.isWholeNumbers)
        // A split that is not a whole number is dropped (Tollgate counts the reasoning itself); the bill is untouched.
        let odd = OutputScan.usage(
            in: #"{"usage":{"prompt_tokens":18,"completion_tokens":219,"completion_tokens_details":{"reasoning_tokens":"205"}}}"#
        )
        #expect(odd.reasoningTokens == nil && odd.outputTokens == 219 && odd.isWholeNumbers)
        #expect(OutputScan.usage(in: #"{"usage":{"prompt_tokens":1,"completion_tokens":2}}"#).reasoningTokens == nil)
    }

    @Test("a body's message is read like a delta; usage and errors are noticed; the usage decodes with its details")
    func bodiesUsageAndErrors() throws {
        let body =
            #"{"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13,"prompt_tokens_details":{"cached_tokens":3},"completion_tokens_details":{"reasoning_tokens":2}}}"#
        let scan = try #require(OutputScan.scan(body))
        #expect(scan.output == [ChoiceOutput(index: 0, text: "f{}", toolCalls: 1)])
        #expect(scan.finishReason == "tool_calls")
        #expect(scan.hasUsage)
        var expected = UpstreamUsage(inputTokens: 9, outputTokens: 4, cachedInputTokens: 3)
        expected.reasoningTokens = 2
        #expect(OutputScan.usage(in: body) == expected)
        #expect(OutputScan.usage(in: #"{"usage":{"prompt_tokens":1.5,"completion_tokens":2}}"#).isWholeNumbers == false)
        #expect(try #require(OutputScan.scan(#"{"error":{"message":"m"}}"#)).hasError)
    }

    @Test("what the fast scanner gives up on (nesting beyond its depth) is read by the decoder; both agree where both read")
    func slowPathAgrees() throws {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let text = #"{"x":\#(deep),"choices":[{"index":1,"delta":{"content":"deep","tool_calls":[{"function":{"arguments":"q"}}]}}]}"#
        #expect(OutputScan.scanned(text) == nil)
        let scan = try #require(OutputScan.scan(text))
        #expect(scan.output.map(\.index) == [1])
        #expect(scan.output.first?.text == "deepq")
        #expect(OutputScan.scan("not json") == nil)
        for text in chunkTexts {
            guard let fast = OutputScan.scanned(text) else { continue }
            #expect(OutputScan.decoded(text) == fast, "\(text)")
        }
    }
}
