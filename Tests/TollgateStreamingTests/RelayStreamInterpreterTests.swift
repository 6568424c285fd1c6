import Testing

@testable import TollgateStreaming

@Suite("Relay frame interpretation")
struct RelayStreamInterpreterTests {
    @Test func fullSequenceWithUsage() {
        var interpreter = RelayStreamInterpreter()
        #expect(interpreter.receive(text: #"{"type":"session_established","session_id":"s1"}"#) == .deliver([.sessionEstablished(id: "s1")]))
        #expect(interpreter.receive(text: #"{"type":"content_block_start","index":0}"#) == .deliver([.contentStart]))
        #expect(interpreter.receive(text: #"{"type":"content_delta","delta":{"content":"Hi"}}"#) == .deliver([.textDelta("Hi")]))
        #expect(
            interpreter.receive(text: #"{"type":"message_done","usage":{"input_tokens":5,"output_tokens":1}}"#)
                == .finish([.usage(.init(inputTokens: 5, outputTokens: 1)), .done(.init())])
        )
    }

    @Test func missingSessionAndBlockStartAreSynthesised() {
        var interpreter = RelayStreamInterpreter()
        #expect(
            interpreter.receive(text: #"{"type":"content_delta","delta":{"content":"x"}}"#)
                == .deliver([.sessionEstablished(id: nil), .contentStart, .textDelta("x")])
        )
        #expect(interpreter.contentStarted)
    }

    @Test func unknownEventTypesAreCountedNotFatal() {
        var interpreter = RelayStreamInterpreter()
        #expect(interpreter.receive(text: #"{"type":"heartbeat"}"#) == .deliver([]))
        #expect(interpreter.receive(text: #"{"type":"tool_call","x":1}"#) == .deliver([]))
        let step = interpreter.receive(text: #"{"type":"message_done"}"#)
        #expect(step == .finish([.sessionEstablished(id: nil), .contentStart, .done(.init(ignoredEventCount: 2))]))
    }

    @Test func malformedJSONIsAProtocolViolationNamingTheFrame() {
        var interpreter = RelayStreamInterpreter()
        guard case .fail(let error) = interpreter.receive(text: "{not json") else {
            Issue.record("expected a failure")
            return
        }
        #expect(error == .protocolViolation)
        #expect(error.upstreamMessage?.contains("{not json") == true)
    }

    @Test func errorFrameCodesMapToTypedErrors() {
        var interpreter = RelayStreamInterpreter()
        let cases: [(String, StreamingError)] = [
            (#"{"type":"error","code":"invalid_api_key","message":"bad key"}"#, .authenticationFailed),
            (#"{"type":"error","code":"model_not_found","message":"no such model"}"#, .unknownModel),
            (#"{"type":"error","code":"rate_limit_exceeded","message":"slow down"}"#, .rateLimited),
            (#"{"type":"error","message":"boom"}"#, .upstreamError),
            (#"{"type":"error","status":401,"message":"who?"}"#, .authenticationFailed),
        ]
        for (frame, expected) in cases {
            guard case .fail(let error) = interpreter.receive(text: frame) else {
                Issue.record("expected failure for \(frame)")
                continue
            }
            #expect(error == expected, "\(frame)")
            #expect(error.upstreamMessage != nil)
        }
    }

    @Test func endWithoutDoneIsIncomplete() {
        var interpreter = RelayStreamInterpreter()
        _ = interpreter.receive(text: #"{"type":"content_delta","delta":{"content":"abc"}}"#)
        let error = interpreter.endedWithoutDone()
        #expect(error == .upstreamClosedBeforeDone)
        #expect(error.upstreamMessage?.contains("3 bytes") == true)
    }
}
