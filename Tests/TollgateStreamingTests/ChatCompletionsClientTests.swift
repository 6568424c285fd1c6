import Testing
import TollgateRelaySim

@testable import TollgateStreaming

@Suite("SSE chat completions client against the simulator")
struct ChatCompletionsClientTests {
    let request = ChatRequest(model: "deepseek-v3.2", messages: testMessages, temperature: 0.2, topP: 0.9)
    var expected: String { expectedText(model: "deepseek-v3.2") }

    @Test func streamsTextUsageAndFinishReason() async throws {
        try await withRelaySimulator(configuration: .init(cachedTokens: 4)) { port in
            let result = await collect(sseClient(port: port).stream(request))
            #expect(result.error == nil)
            #expect(result.text == expected)
            #expect(result.events.first == .sessionEstablished(id: nil))
            #expect(result.events.dropFirst().first == .contentStart)
            let input = SimulatedText.defaultTokenCount(model: "deepseek-v3.2", text: SimulatedText.promptText(testMessages))
            #expect(result.usage == UpstreamUsage(inputTokens: input, outputTokens: 32, cachedInputTokens: 4))
            #expect(result.completion == StreamCompletion(finishReason: "stop"))
            #expect(result.events.last == .done(StreamCompletion(finishReason: "stop")))
        }
    }

    /// A consumer batches its writes while `hasReadyEvent` holds, so it must never hold back the
    /// end of the stream (`done`, after which the gateway settles) nor miss the end (`nil`).
    @Test func readyEventsArriveTogetherAndNeverIncludeTheEnd() async throws {
        try await withRelaySimulator { port in
            var events = sseClient(port: port).stream(request).makeAsyncIterator()
            var received = CollectedStream()
            var readyTaken = 0
            while true {
                let ready = events.hasReadyEvent
                guard let event = try await events.next() else {
                    #expect(!ready, "the end of the stream was announced as a ready event")
                    break
                }
                if ready {
                    readyTaken += 1
                    if case .done = event { Issue.record("done was announced as a ready event") }
                }
                received.events.append(event)
                if case .contentStart = event {
                    // The simulator sends its 32 chunks without pauses: once read, they wait here together.
                    let probe = events
                    #expect(await eventually { probe.hasReadyEvent })
                }
            }
            #expect(readyTaken > 0)
            #expect(received.text == expected)
            #expect(received.completion == StreamCompletion(finishReason: "stop"))
        }
    }

    @Test func usageAbsentWhenNotReported() async throws {
        try await withRelaySimulator { port in
            let result = await collect(sseClient(port: port, headers: [("X-Sim-Usage", "off")]).stream(request))
            #expect(result.error == nil)
            #expect(result.usage == nil)
            #expect(result.text == expected)
        }
    }

    @Test func nonStreamingCompletionCarriesUsage() async throws {
        try await withRelaySimulator { port in
            let completion = try await sseClient(port: port).complete(request)
            #expect(completion.text == expected)
            #expect(completion.model == "deepseek-v3.2")
            #expect(completion.finishReason == "stop")
            #expect(completion.usage?.outputTokens == 32)
        }
    }

    @Test(arguments: [
        ("key", StreamingError.authenticationFailed, 401),
        ("model", StreamingError.unknownModel, 400),
        ("rate-limit", StreamingError.rateLimited, 429),
    ])
    func errorStatusesBecomeTypedErrors(reject: String, expected: StreamingError, status: Int) async throws {
        try await withRelaySimulator { port in
            let client = sseClient(port: port, headers: [("X-Sim-Reject", reject)])
            let result = await collect(client.stream(request))
            #expect(result.streamingError == expected)
            #expect(result.streamingError?.httpStatus == status)
            #expect(result.streamingError?.upstreamMessage?.isEmpty == false)
            // The reply a gateway passes on: status, content type and the error body as sent.
            #expect(result.streamingError?.reply?.status == status)
            #expect(result.streamingError?.reply?.headers.contains { $0.name == "content-type" && $0.value.contains("json") } == true)
            #expect(result.streamingError?.reply.map { String(decoding: $0.body, as: UTF8.self) }?.contains(#""error""#) == true)
            await #expect(throws: expected) { try await client.complete(request) }
        }
    }

    @Test func unknownModelMessageComesFromTheUpstream() async throws {
        try await withRelaySimulator { port in
            let result = await collect(sseClient(port: port).stream(ChatRequest(model: "claude-3", messages: testMessages)))
            #expect(result.streamingError == .unknownModel)
            #expect(result.streamingError?.upstreamMessage?.contains("'claude-3' does not exist") == true)
            #expect(result.streamingError?.description.contains("HTTP 400") == true)
        }
    }

    @Test func errorEventMidStreamIsTyped() async throws {
        try await withRelaySimulator { port in
            let result = await collect(sseClient(port: port, headers: [("X-Sim-Error-After", "2")]).stream(request))
            #expect(result.streamingError == .upstreamError)
            #expect(result.streamingError?.upstreamMessage?.contains("simulated") == true)
        }
    }

    @Test func droppedConnectionIsIncomplete() async throws {
        try await withRelaySimulator { port in
            let result = await collect(sseClient(port: port, headers: [("X-Sim-Drop-After", "5")]).stream(request))
            #expect(result.streamingError == .upstreamClosedBeforeDone)
            #expect(result.completion == nil)
        }
    }

    @Test func idleTimeoutFiresOnAStall() async throws {
        try await withRelaySimulator { port in
            let client = sseClient(
                port: port,
                headers: [("X-Sim-Stall-After", "2"), ("X-Sim-Stall-Ms", "3000")],
                configuration: .init(idleTimeout: .milliseconds(300))
            )
            let started = ContinuousClock.now
            let result = await collect(client.stream(request))
            #expect(result.streamingError == .timeout)
            #expect(ContinuousClock.now - started < .seconds(2))
        }
    }

    @Test func firstByteTimeoutFiresOnSlowFirstToken() async throws {
        try await withRelaySimulator { port in
            let client = sseClient(
                port: port,
                headers: [("X-Sim-TTFT-Ms", "2000")],
                configuration: .init(firstByteTimeout: .milliseconds(300))
            )
            let result = await collect(client.stream(request))
            #expect(result.streamingError == .timeout)
            #expect(result.streamingError?.upstreamMessage?.contains("first byte") == true)
        }
    }

    @Test func unreachableUpstreamIsConnectionFailed() async throws {
        let port = try await withRelaySimulator { port in port }
        let client = sseClient(port: port, configuration: .init(connectTimeout: .milliseconds(500)))
        let result = await collect(client.stream(request))
        #expect(result.streamingError == .connectionFailed)
        #expect(result.streamingError?.upstreamMessage?.contains("connection refused") == true)
    }

    @Test func cancellationStopsTheHTTPStream() async throws {
        let metrics = RelaySimulatorMetrics()
        try await withRelaySimulator(metrics: metrics) { port in
            let client = sseClient(port: port, headers: [("X-Sim-Tokens-Per-Second", "20"), ("X-Sim-Output-Tokens", "1000")])
            let consumer = Task {
                for try await _ in client.stream(request) {}
            }
            #expect(await eventually { metrics.snapshot.chunksSent >= 2 })
            consumer.cancel()
            _ = try? await consumer.value
            let sentAtCancel = metrics.snapshot.chunksSent
            try await Task.sleep(for: .milliseconds(500))
            #expect(metrics.snapshot.chunksSent <= sentAtCancel + 2)
            #expect(metrics.snapshot.completedResponses == 0)
        }
    }

    @Test func startedIteratorSendsTheRequestBeforeTheFirstRead() async throws {
        let metrics = RelaySimulatorMetrics()
        try await withRelaySimulator(metrics: metrics) { port in
            var events = sseClient(port: port).stream(request).makeStartedIterator()
            #expect(await eventually { metrics.snapshot.httpRequests == 1 })
            var text = ""
            while let event = try await events.next() {
                if case .textDelta(let piece) = event { text += piece }
            }
            #expect(text == expected)
            #expect(metrics.snapshot.httpRequests == 1)
        }
    }

    @Test func droppingAStartedIteratorUnreadCancelsTheRequest() async throws {
        let metrics = RelaySimulatorMetrics()
        try await withRelaySimulator(metrics: metrics) { port in
            let client = sseClient(port: port, headers: [("X-Sim-Tokens-Per-Second", "20"), ("X-Sim-Output-Tokens", "1000")])
            // Held until the relay has the request: a request cancelled before it is sent leaves
            // AsyncHTTPClient a fresh pooled connection the simulator's shutdown would wait on.
            do {
                let events = client.stream(request).makeStartedIterator()
                #expect(await eventually { metrics.snapshot.httpRequests == 1 })
                withExtendedLifetime(events) {}
            }
            let sentAtDrop = metrics.snapshot.chunksSent
            try await Task.sleep(for: .milliseconds(500))
            #expect(metrics.snapshot.chunksSent <= sentAtDrop + 2)
            #expect(metrics.snapshot.completedResponses == 0)
        }
    }

    /// The relay is read only as fast as the consumer takes events (beyond the read-ahead the
    /// gateway allows): TCP flow control must reach it, or a stalled client would make the gateway
    /// buffer a whole response.
    @Test(arguments: [0, 16 * 1024])
    func aSlowConsumerHoldsTheUpstreamBack(readAhead: Int) async throws {
        let metrics = RelaySimulatorMetrics()
        try await withRelaySimulator(metrics: metrics) { port in
            // ~50 MB of events: more than loopback's socket buffers hold even fully autotuned
            // (tcp_rmem up to 32 MiB here, plus the sender's), which 100,000 (~20 MB) sometimes fitted.
            let outputTokens = 250_000
            let client = sseClient(
                port: port,
                headers: [("X-Sim-Output-Tokens", String(outputTokens))],
                configuration: .init(readAhead: readAhead)
            )
            var events = client.stream(request).makeAsyncIterator()
            for _ in 0..<3 { _ = try await events.next() }
            // Wait until the relay stops sending: its socket buffers are full and nothing reads them.
            var sent = -1
            let deadline = ContinuousClock.now + .seconds(20)
            while sent != metrics.snapshot.chunksSent, ContinuousClock.now < deadline {
                sent = metrics.snapshot.chunksSent
                try await Task.sleep(for: .milliseconds(200))
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(metrics.snapshot.chunksSent == sent)
            #expect(sent < outputTokens)
            #expect(metrics.snapshot.completedResponses == 0)
            var deltas = 0
            while let event = try await events.next() {
                if case .textDelta = event { deltas += 1 }
            }
            #expect(deltas + 1 == outputTokens)  // the first delta was taken above
            #expect(metrics.snapshot.completedResponses == 1)
        }
    }

    @Test func anErrorStatusAfterTheHeadIsTyped() async throws {
        try await withRelaySimulator { port in
            let client = sseClient(port: port, headers: [("X-Sim-Reject", "rate-limit")])
            var events = client.stream(request).makeStartedIterator()
            await #expect(throws: StreamingError.rateLimited) { try await events.next() }
        }
    }
}

@Suite("Upstream client factory")
struct UpstreamClientFactoryTests {
    @Test func webSocketURLs() throws {
        let client = try UpstreamClientFactory.client(url: "wss://api.example.com", apiKey: "k")
        #expect((client as? RelayWebSocketClient)?.url == "wss://api.example.com/v1/ws/stream")
        let explicit = try UpstreamClientFactory.client(url: "ws://127.0.0.1:9/v1/ws/stream", apiKey: "k")
        #expect((explicit as? RelayWebSocketClient)?.url == "ws://127.0.0.1:9/v1/ws/stream")
    }

    @Test func httpURLsPointAtChatCompletions() throws {
        for url in [
            "https://api.example.com", "https://api.example.com/v1", "https://api.example.com/v1/",
            "https://api.example.com/v1/chat/completions",
        ] {
            let client = try UpstreamClientFactory.client(url: url, apiKey: "k")
            #expect((client as? ChatCompletionsClient)?.url == "https://api.example.com/v1/chat/completions", "\(url)")
            // The gateway's upstream reads a socket read's events at once (see `readAhead`).
            #expect((client as? ChatCompletionsClient)?.configuration.readAhead == 16 * 1024)
        }
    }

    @Test func badInputIsExplained() {
        #expect(throws: StreamingError.invalidRequest) { try UpstreamClientFactory.client(url: "ftp://x", apiKey: "k") }
        #expect(throws: StreamingError.invalidRequest) { try UpstreamClientFactory.client(url: "api.example.com", apiKey: "k") }
        #expect(throws: StreamingError.invalidRequest) { try UpstreamClientFactory.client(url: "https://x", apiKey: "") }
    }

    @Test func emptyRequestsFailBeforeAnyIO() async {
        let client = ChatCompletionsClient(url: "http://127.0.0.1:1/v1/chat/completions", apiKey: "k")
        let noModel = await collect(client.stream(ChatRequest(model: "", messages: testMessages)))
        #expect(noModel.streamingError == .invalidRequest)
        let noMessages = await collect(client.stream(ChatRequest(model: "gpt-4.1", messages: [])))
        #expect(noMessages.streamingError == .invalidRequest)
    }
}
