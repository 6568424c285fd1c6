import Testing
import TollgateRelaySim

@testable import TollgateStreaming

@Suite("WebSocket relay client against the simulator")
struct RelayWebSocketClientTests {
    let request = ChatRequest(model: "gpt-4.1", messages: testMessages, temperature: 0.7)

    @Test(arguments: [RelayWebSocketClient.RequestShape.chatCompletion, .sessionStart])
    func streamsTheDeterministicTextWithUsage(shape: RelayWebSocketClient.RequestShape) async throws {
        try await withRelaySimulator { port in
            let result = await collect(wsClient(port: port, shape: shape).stream(request))
            #expect(result.error == nil)
            #expect(result.text == expectedText())
            guard case .sessionEstablished(let id) = result.events.first else {
                Issue.record("first event was \(String(describing: result.events.first))")
                return
            }
            #expect(id?.hasPrefix("sim-") == true)
            #expect(result.events.dropFirst().first == .contentStart)
            let output = SimulatedText.defaultTokenCount(model: "gpt-4.1", text: expectedText())
            let input = SimulatedText.defaultTokenCount(model: "gpt-4.1", text: SimulatedText.promptText(testMessages))
            #expect(result.usage == UpstreamUsage(inputTokens: input, outputTokens: output))
            #expect(output == 32)
            #expect(result.completion == StreamCompletion(finishReason: "stop"))
        }
    }

    @Test func usageIsAbsentWhenTheRelayDoesNotReportIt() async throws {
        try await withRelaySimulator { port in
            let result = await collect(wsClient(port: port, headers: [("X-Sim-Usage", "off")]).stream(request))
            #expect(result.error == nil)
            #expect(result.usage == nil)
            #expect(result.completion != nil)
        }
    }

    @Test func maxTokensAndSeedShapeTheOutput() async throws {
        try await withRelaySimulator { port in
            var limited = request
            limited.maxTokens = 5
            limited.extras = ["seed": .integer(42)]
            let result = await collect(wsClient(port: port, headers: [("X-Sim-Chunk-Size", "2")]).stream(limited))
            #expect(result.text == expectedText(seed: 42, pieces: 5))
            #expect(result.events.filter { if case .textDelta = $0 { true } else { false } }.count == 3)
            #expect(result.completion?.finishReason == "length")
        }
    }

    @Test func sessionShapeRejectsMultiTurnHistoryBeforeConnecting() async throws {
        let history = ChatRequest(model: "gpt-4.1", messages: [.user("a"), .assistant("b"), .user("c")])
        let result = await collect(wsClient(port: 1, shape: .sessionStart).stream(history))
        #expect(result.streamingError == .invalidRequest)
        #expect(result.streamingError?.upstreamMessage?.contains("chatCompletion") == true)
    }

    @Test(arguments: [
        ("key", StreamingError.authenticationFailed),
        ("model", StreamingError.unknownModel),
        ("rate-limit", StreamingError.rateLimited),
    ])
    func rejectionsSurfaceAsTypedErrors(reject: String, expected: StreamingError) async throws {
        try await withRelaySimulator { port in
            let result = await collect(wsClient(port: port, headers: [("X-Sim-Reject", reject)]).stream(request))
            #expect(result.streamingError == expected)
            #expect(result.streamingError?.upstreamMessage?.isEmpty == false)
        }
    }

    @Test func unknownModelErrorListsTheValidModels() async throws {
        try await withRelaySimulator { port in
            let result = await collect(wsClient(port: port).stream(ChatRequest(model: "gpt-4", messages: testMessages)))
            #expect(result.streamingError == .unknownModel)
            #expect(result.streamingError?.upstreamMessage?.contains("deepseek-v3.2") == true)
        }
    }

    @Test func configuredKeyRejectsOtherKeysWithTheSessionShape() async throws {
        try await withRelaySimulator(configuration: .init(apiKey: "sk-right")) { port in
            let wrong = await collect(wsClient(port: port, shape: .sessionStart, key: "sk-wrong").stream(request))
            #expect(wrong.streamingError == .authenticationFailed)
            let right = await collect(wsClient(port: port, shape: .sessionStart, key: "sk-right").stream(request))
            #expect(right.error == nil)
            #expect(right.text == expectedText())
        }
    }

    @Test func errorFrameMidStreamIsAnUpstreamError() async throws {
        try await withRelaySimulator { port in
            let result = await collect(wsClient(port: port, headers: [("X-Sim-Error-After", "3")]).stream(request))
            #expect(result.streamingError == .upstreamError)
            #expect(result.events.filter { if case .textDelta = $0 { true } else { false } }.count == 3)
        }
    }

    @Test func midStreamDropIsReportedAndNotRetried() async throws {
        let metrics = RelaySimulatorMetrics()
        try await withRelaySimulator(metrics: metrics) { port in
            let result = await collect(wsClient(port: port, headers: [("X-Sim-Drop-After", "4")]).stream(request))
            #expect(result.streamingError == .upstreamClosedBeforeDone)
            #expect(
                result.text
                    == SimulatedText.generate(
                        model: "gpt-4.1",
                        prompt: SimulatedText.promptText(testMessages),
                        seed: 0,
                        pieceCount: 4
                    ).joined()
            )
            #expect(result.completion == nil)
            #expect(metrics.snapshot.webSocketsOpened == 1)
        }
    }

    @Test func refusedAttemptsAreRetriedBeforeTheFirstByte() async throws {
        let metrics = RelaySimulatorMetrics()
        try await withRelaySimulator(metrics: metrics) { port in
            let headers = [("X-Sim-Refuse-Attempts", "2"), ("X-Sim-Attempt-Key", "retry-ok")]
            let result = await collect(wsClient(port: port, headers: headers).stream(request))
            #expect(result.error == nil)
            #expect(result.text == expectedText())
            #expect(metrics.snapshot.upgradesRefused == 2)
            #expect(result.events.filter { if case .sessionEstablished = $0 { true } else { false } }.count == 1)
        }
    }

    @Test func exhaustedAttemptsReportConnectionFailed() async throws {
        let metrics = RelaySimulatorMetrics()
        try await withRelaySimulator(metrics: metrics) { port in
            let headers = [("X-Sim-Refuse-Attempts", "5"), ("X-Sim-Attempt-Key", "retry-fail")]
            let result = await collect(wsClient(port: port, headers: headers).stream(request))
            #expect(result.streamingError == .connectionFailed)
            #expect(result.streamingError?.upstreamMessage?.contains("3 attempts") == true)
            #expect(metrics.snapshot.upgradesRefused == 3)
        }
    }

    @Test func nothingListeningIsConnectionFailed() async throws {
        let port = try await withRelaySimulator { port in port }
        let result = await collect(wsClient(port: port, retry: fastRetry(2)).stream(request))
        #expect(result.streamingError == .connectionFailed)
    }

    @Test func heartbeatKeepsAStalledStreamOpenPastThePongTimeout() async throws {
        try await withRelaySimulator { port in
            let headers = [("X-Sim-Stall-After", "2"), ("X-Sim-Stall-Ms", "1500")]
            let heartbeat = RelayWebSocketClient.Heartbeat(pingInterval: .milliseconds(200), pongTimeout: .milliseconds(300))
            let started = ContinuousClock.now
            let result = await collect(wsClient(port: port, headers: headers, heartbeat: heartbeat).stream(request))
            #expect(ContinuousClock.now - started >= .milliseconds(1500))
            #expect(result.error == nil)
            #expect(result.text == expectedText())
        }
    }

    @Test func aRelayThatAnswersPingsButSendsNothingFailsAtTheIdleDeadline() async throws {
        try await withRelaySimulator { port in
            let client = RelayWebSocketClient(
                url: "ws://127.0.0.1:\(port)/v1/ws/stream",
                apiKey: "sk-test",
                configuration: .init(
                    handshakeTimeout: .seconds(5),
                    idleTimeout: .milliseconds(500),
                    heartbeat: .init(pingInterval: .milliseconds(100), pongTimeout: .milliseconds(200)),
                    retry: fastRetry(),
                    additionalHeaders: [("X-Sim-Stall-After", "2"), ("X-Sim-Stall-Ms", "6000")]
                )
            )
            let started = ContinuousClock.now
            let result = await collect(client.stream(request))
            #expect(ContinuousClock.now - started < .seconds(4))
            #expect(result.streamingError == .timeout)
            #expect(result.streamingError?.upstreamMessage?.contains("no frame from the upstream within 0.5 seconds") == true)
            #expect(!result.text.isEmpty, "what came before the stall was delivered")
        }
    }

    @Test func aRelayThatNeverSendsAFirstFrameFailsAtTheFirstFrameDeadline() async throws {
        try await withRelaySimulator { port in
            let client = RelayWebSocketClient(
                url: "ws://127.0.0.1:\(port)/v1/ws/stream",
                apiKey: "sk-test",
                configuration: .init(
                    handshakeTimeout: .seconds(5),
                    firstFrameTimeout: .milliseconds(300),
                    retry: .init(maxAttempts: 1),
                    additionalHeaders: [("X-Sim-TTFT-Ms", "6000")]
                )
            )
            let result = await collect(client.stream(request))
            #expect(result.streamingError == .timeout)
            #expect(result.text.isEmpty)
        }
    }

    @Test func cancellingTheConsumerClosesTheUpstreamConnection() async throws {
        let metrics = RelaySimulatorMetrics()
        try await withRelaySimulator(metrics: metrics) { port in
            let client = wsClient(port: port, headers: [("X-Sim-Tokens-Per-Second", "20"), ("X-Sim-Output-Tokens", "1000")])
            let consumer = Task {
                var deltas = 0
                for try await event in client.stream(request) {
                    if case .textDelta = event { deltas += 1 }
                }
                return deltas
            }
            #expect(await eventually { metrics.snapshot.chunksSent >= 3 })
            consumer.cancel()
            _ = try? await consumer.value
            #expect(await eventually { metrics.snapshot.webSocketsClosed == 1 })
            #expect(metrics.snapshot.webSocketsClosedByClientMidStream == 1)
            #expect(metrics.snapshot.completedResponses == 0)
        }
    }

    @Test func breakingOutOfTheLoopClosesTheUpstreamConnection() async throws {
        let metrics = RelaySimulatorMetrics()
        try await withRelaySimulator(metrics: metrics) { port in
            let client = wsClient(port: port, headers: [("X-Sim-Tokens-Per-Second", "50"), ("X-Sim-Output-Tokens", "1000")])
            for try await event in client.stream(request) {
                if case .textDelta = event { break }
            }
            #expect(await eventually { metrics.snapshot.webSocketsClosed == 1 })
            #expect(metrics.snapshot.webSocketsClosedByClientMidStream == 1)
        }
    }
}
