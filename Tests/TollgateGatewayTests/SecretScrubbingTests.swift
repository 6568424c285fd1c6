import Foundation
import Testing
import TollgateRelaySim

/// A relay that quotes the key it was sent in its error messages ("Incorrect API key provided: …"):
/// the key never reaches a client, over any protocol, nor the gateway's log.
@Suite("Gateway secret scrubbing")
struct SecretScrubbingTests {
    /// Shaped like no credential, so only the exact-key scrubbing can catch it.
    static let secret = "UPSTREAM-SECRET-4242"
    static let model = "gemini-2.5-flash"

    /// The echoing relay: refusing the key outright, or failing mid-stream after content.
    static func relay(sse: Bool, midStream: Bool) -> FlakyRelay {
        let faults =
            midStream
            ? RelaySimulatorConfiguration.Faults(errorAfterChunks: 2, echoKey: true)
            : RelaySimulatorConfiguration.Faults(rejectKey: true, echoKey: true)
        return FlakyRelay(model: model, configuration: RelaySimulatorConfiguration(outputTokens: 60, faults: faults), apiKey: secret, sse: sse)
    }

    @Test(
        "HTTP clients, streaming and not, see the relay's error with the key redacted; the log never holds it",
        arguments: [(false, false), (false, true), (true, false), (true, true)]
    )
    func http(sse: Bool, midStream: Bool) async throws {
        let logs = LogCapture()
        try await GatewayHarness.run(flakyRelay: Self.relay(sse: sse, midStream: midStream), logs: logs) { harness in
            let plain = try await harness.chat(key: harness.alphaKey, model: Self.model)
            if sse && midStream {
                // A non-streamed call stays non-streamed upstream, so there is no stream to break mid-way.
                #expect(plain.status == 200, "\(plain.body)")
            } else {
                #expect(plain.status == 502)
            }
            let streamed = try await harness.chat(key: harness.alphaKey, model: Self.model, stream: true, includeUsage: true)
            if midStream {
                if !sse { #expect(plain.errorMessage.contains("Incorrect API key provided: [redacted]"), "\(plain.body)") }
                #expect(streamed.status == 200)
                #expect(streamed.events.dropLast().last?.contains("Incorrect API key provided: [redacted]") == true, "\(streamed.body)")
            } else {
                // The key refused before any output: the gateway's own credentials, never the relay's words.
                for exchange in [plain, streamed] {
                    #expect(exchange.status == 502)
                    #expect(try exchange.error()["code"] as? String == "upstream_auth_failed", "\(exchange.body)")
                    #expect(!exchange.body.contains("Incorrect API key"))
                }
            }
            for exchange in [plain, streamed] {
                #expect(!exchange.body.contains(Self.secret))
            }
        }
        #expect(!logs.text.isEmpty)
        #expect(!logs.text.contains(Self.secret))
    }

    @Test("WebSocket clients get the relay's error event with the key redacted; the log never holds it", arguments: [false, true])
    func webSocket(midStream: Bool) async throws {
        guard PythonClient.webSocketReady else { return }
        let logs = LogCapture()
        try await GatewayHarness.run(flakyRelay: Self.relay(sse: false, midStream: midStream), logs: logs) { harness in
            let (status, output, stderr) = try await RelayWebSocketEndpointTests().flow(harness, key: harness.alphaKey, ["--model", Self.model])
            #expect(status == 2, "\(stderr)")
            let error = try #require(output.error)
            if midStream {
                #expect(error.code == "upstream_error")
                #expect(error.message.contains("Incorrect API key provided: [redacted]"), "\(error.message)")
            } else {
                #expect(error.code == "upstream_auth_failed")
                #expect(!error.message.contains("Incorrect API key"), "\(error.message)")
            }
            #expect(!error.message.contains(Self.secret))
            #expect(!stderr.contains(Self.secret))
        }
        #expect(!logs.text.contains(Self.secret))
    }
}
