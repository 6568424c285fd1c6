import Testing
import TollgateRelaySim

@testable import TollgateStreaming

@Suite("SecretScrubber")
struct SecretScrubberTests {
    @Test(
        "credential shapes are redacted wherever they appear",
        arguments: [
            ("Incorrect API key provided: Bearer abc.DEF-123_x", "Incorrect API key provided: Bearer [redacted]"),
            ("authorization: bearer\tXYZ12345 rest", "authorization: bearer\t[redacted] rest"),
            ("key sk-proj-AbC123xyz was refused", "key [redacted] was refused"),
            ("masked sk-abc***************xyz4", "masked [redacted]"),
            ("gateway key tg_0123456789abcdefghijABCDEFGHIJ0123456789 leaked", "gateway key [redacted] leaked"),
            ("postgres://tollgate:hunter2@db:5432/ledger", "postgres://tollgate:[redacted]@db:5432/ledger"),
            (#"{"error":"Bearer sk-xyz123456"}"#, #"{"error":"Bearer [redacted]"}"#),
        ]
    )
    func shapes(text: String, expected: String) {
        #expect(SecretScrubber().scrub(text) == expected)
    }

    @Test(
        "ordinary text is left alone",
        arguments: [
            "task-force sk- ask-me risk-free",
            "send 'Authorization: Bearer <key>'",
            "prefix tg_AbCdEfGhI is shown by key list",
            "https://relay.example/v1/chat/completions",
            "研发 team: bearer of bad news",
        ]
    )
    func untouched(text: String) {
        #expect(SecretScrubber().scrub(text) == text)
    }

    @Test("exact secrets are redacted whatever their shape, and errors keep their kind and status")
    func exact() {
        let scrubber = SecretScrubber(secrets: ["UPSTREAM-SECRET-4242", "", "ab"])
        #expect(scrubber.scrub("got UPSTREAM-SECRET-4242 (ab)") == "got [redacted] (ab)")
        let error = StreamingError(.authenticationFailed, message: "Incorrect API key provided: UPSTREAM-SECRET-4242", httpStatus: 401)
        let scrubbed = scrubber.scrub(error)
        #expect(scrubbed.kind == .authenticationFailed)
        #expect(scrubbed.httpStatus == 401)
        #expect(scrubbed.upstreamMessage == "Incorrect API key provided: [redacted]")
    }

    @Test("a StreamingError never carries a credential shape, whoever built it")
    func streamingError() {
        let error = StreamingError(.badRequest, message: "Invalid key: Bearer sk-live-abcdef")
        #expect(error.upstreamMessage == "Invalid key: Bearer [redacted]")
        #expect(!error.description.contains("sk-live"))
    }
}

/// Both relay clients scrub their own key from the errors of a relay that echoes it, on every path:
/// streamed SSE, non-streamed SSE (`complete`) and WebSocket.
@Suite("Relay clients scrub their key from echoed errors")
struct ClientKeyScrubbingTests {
    static let key = "UPSTREAM-SECRET-4242"
    static let request = ChatRequest(model: "gpt-4.1", messages: testMessages, maxTokens: 64)

    @Test("refused and mid-stream failures carry '[redacted]', never the key", arguments: [true, false])
    func echoes(rejectKey: Bool) async throws {
        let faults =
            rejectKey
            ? RelaySimulatorConfiguration.Faults(rejectKey: true, echoKey: true)
            : RelaySimulatorConfiguration.Faults(errorAfterChunks: 2, echoKey: true)
        try await withRelaySimulator(configuration: .init(faults: faults)) { port in
            let sse = sseClient(port: port, key: Self.key)
            let ws = wsClient(port: port, key: Self.key, retry: fastRetry(1))
            var errors = [await collect(sse.stream(Self.request)).streamingError, await collect(ws.stream(Self.request)).streamingError]
            do {
                _ = try await sse.complete(Self.request)
            } catch {
                errors.append(error as? StreamingError)
            }
            // A non-streamed answer has no middle to fail in: the simulator's mid-stream fault is SSE only.
            #expect(errors.count == (rejectKey ? 3 : 2))
            for error in errors {
                let message = try #require(error?.upstreamMessage)
                #expect(message.contains("Incorrect API key provided: [redacted]"), "\(message)")
                #expect(!message.contains(Self.key))
            }
        }
    }
    @Test("an upstream reply keeps its exact bytes unless a secret had to go; the key is scrubbed from its body and header values")
    func replyScrubbing() {
        let clean: [UInt8] = Array(#"{"error":{"message":"slow down"}}"#.utf8) + [0xFF, 0xFE]
        let reply = UpstreamReply(status: 429, headers: [.init(name: "retry-after", value: "2")], body: clean)
        let scrubber = SecretScrubber(secrets: ["UPSTREAM-SECRET-4242"])
        #expect(scrubber.scrub(StreamingError(.rateLimited, message: "slow down", httpStatus: 429, reply: reply)).reply == reply)
        let echoing = UpstreamReply(
            status: 400,
            headers: [.init(name: "x-ratelimit-note", value: "key UPSTREAM-SECRET-4242")],
            body: Array(#"{"error":{"message":"bad request from UPSTREAM-SECRET-4242, Bearer abcdefgh12345"}}"#.utf8)
        )
        let scrubbed = scrubber.scrub(StreamingError(.badRequest, message: "bad", httpStatus: 400, reply: echoing)).reply
        #expect(scrubbed?.status == 400)
        #expect(
            scrubbed.map { String(decoding: $0.body, as: UTF8.self) } == #"{"error":{"message":"bad request from [redacted], Bearer [redacted]"}}"#
        )
        #expect(scrubbed?.headers.first?.value == "key [redacted]")
    }

    @Test("only the headers a client acts on are relayed: content type, Retry-After, retry-after-ms, x-ratelimit-*")
    func relayedHeaders() {
        #expect(["Content-Type", "Retry-After", "retry-after-ms", "X-RateLimit-Remaining-Tokens"].allSatisfy(UpstreamReply.isRelayed))
        #expect(!["Set-Cookie", "Server", "X-Request-Id", "Authorization"].contains(where: UpstreamReply.isRelayed))
    }
}
