import Foundation
import Testing
import TollgateRelaySim
import TollgateTestSupport

/// The recorded Anthropic Messages streams reach a plain HTTP client of the simulator's
/// `/v1/messages` exactly as stored, the last event completed with its blank line when the file
/// lacks it.
@Suite("Recorded Messages streams replayed byte for byte")
struct RecordedMessagesReplayTests {
    static let configuration = RelaySimulatorConfiguration(replayDirectory: RecordedStreams.messagesDirectory)
    static let names = ["anthropic-text", "anthropic-tool-use", "anthropic-tool-use-max-tokens", "anthropic-thinking-refusal"]

    static func stored(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: RecordedStreams.messagesDirectory).appendingPathComponent("\(name).sse")))
    }

    static func body(_ name: String, stream: Bool = true) -> String {
        #"{"model":"claude-sonnet-4.5","max_tokens":64,"stream":\#(stream),"messages":[{"role":"user","content":"Hi."}],"tollgate_sim":{"replay":"\#(name)"}}"#
    }

    @Test("a Messages fixture arrives as stored, plus the final blank line only when the file lacks it", arguments: names)
    func arrivesAsStored(name: String) async throws {
        let stored = try Self.stored(name)
        let complete = stored.suffix(2) == [0x0A, 0x0A]
        #expect(complete == (name == "anthropic-thinking-refusal"), "the README says which files lack the final blank line")
        try await withRelaySimulator(configuration: Self.configuration) { port in
            let answer = try await SimulatorHTTP.post(port, Self.body(name), path: "/v1/messages")
            #expect(answer.status == 200)
            #expect(answer.header("content-type") == "text/event-stream")
            #expect(answer.bytes == stored + (complete ? [] : [0x0A, 0x0A]))
        }
    }

    @Test func theHeaderAsksForAMessagesReplayToo() async throws {
        try await withRelaySimulator(configuration: Self.configuration) { port in
            let plain = #"{"model":"claude-sonnet-4.5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi."}]}"#
            let answer = try await SimulatorHTTP.post(port, plain, headers: [("X-Sim-Replay", "anthropic-text")], path: "/v1/messages")
            #expect(answer.bytes == (try Self.stored("anthropic-text")) + [0x0A, 0x0A])
        }
    }

    @Test func aDropFaultCutsAMessagesReplayAfterTheDeltasSent() async throws {
        try await withRelaySimulator(configuration: Self.configuration) { port in
            let answer = try? await SimulatorHTTP.post(port, Self.body("anthropic-text"), headers: [("X-Sim-Drop-After", "2")], path: "/v1/messages")
            let text = answer?.text ?? ""
            #expect(text.components(separatedBy: "event: content_block_delta\n").count - 1 <= 2, "\(text)")
            #expect(!text.contains("message_stop"))
        }
    }

    @Test("generated Messages streams are paced like the OpenAI surface (the gateway benchmark's inter-chunk part relies on it)")
    func generatedMessagesArePaced() async throws {
        var configuration = RelaySimulatorConfiguration()
        configuration.tokensPerSecond = 100
        try await withRelaySimulator(configuration: configuration) { port in
            let body = #"{"model":"claude-sonnet-4.5","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"Pace it."}]}"#
            let started = ContinuousClock.now
            let answer = try await SimulatorHTTP.post(port, body, path: "/v1/messages")
            #expect(answer.status == 200)
            let deltas = answer.text.components(separatedBy: "event: content_block_delta\n").count - 1
            #expect(deltas == 16, "\(answer.text)")
            #expect(answer.text.hasSuffix("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
            // 16 deltas, 15 gaps of 10 ms.
            #expect(ContinuousClock.now - started >= .milliseconds(140))
        }
    }

    @Test("an error fault on a Messages stream is Anthropic's event: error after the deltas sent", arguments: [true, false])
    func anErrorFaultIsAnthropicsErrorEvent(replay: Bool) async throws {
        try await withRelaySimulator(configuration: Self.configuration) { port in
            let body =
                replay
                ? Self.body("anthropic-text")
                : #"{"model":"claude-sonnet-4.5","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"Fail."}]}"#
            let answer = try await SimulatorHTTP.post(port, body, headers: [("X-Sim-Error-After", "2")], path: "/v1/messages")
            #expect(answer.text.components(separatedBy: "event: content_block_delta\n").count - 1 == 2, "\(answer.text)")
            #expect(
                answer.text.hasSuffix("\n\n")
                    && answer.text.contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\""),
                "\(answer.text)"
            )
            #expect(!answer.text.contains("message_stop"))
        }
    }

    @Test func anUnknownOrNonStreamedMessagesReplayIs400InAnthropicsShape() async throws {
        try await withRelaySimulator(configuration: Self.configuration) { port in
            let unknown = try await SimulatorHTTP.post(port, Self.body("nope"), path: "/v1/messages")
            #expect(unknown.status == 400)
            #expect((unknown.json["error"] as? [String: Any])?["type"] as? String == "invalid_request_error")
            #expect(unknown.text.contains("anthropic-text"), "lists what can be replayed: \(unknown.text)")
            let body = try await SimulatorHTTP.post(port, Self.body("anthropic-text", stream: false), path: "/v1/messages")
            #expect(body.status == 400, "no recorded non-streamed Messages body: \(body.text)")
        }
    }

    @Test func everyMessagesFixtureIsCitedInTheReadme() throws {
        let readme = try String(
            contentsOf: URL(fileURLWithPath: RecordedStreams.messagesDirectory).appendingPathComponent("README.md"),
            encoding: .utf8
        )
        let files = try FileManager.default.contentsOfDirectory(atPath: RecordedStreams.messagesDirectory).filter { $0 != "README.md" }
        #expect(Set(files) == Set(Self.names.map { "\($0).sse" }))
        for file in files {
            #expect(readme.contains("| `\(file)` |"), "\(file) has no row in the sources table")
        }
        #expect(readme.contains("009b035305e0724ce108ebd796935f91711fc6e1"))
    }
}
