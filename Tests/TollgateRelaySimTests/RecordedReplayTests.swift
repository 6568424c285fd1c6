import Foundation
import Testing
import TollgateRelaySim
import TollgateTestSupport

/// Every recorded fixture reaches a plain HTTP client exactly as stored, with and without usage.
@Suite("Recorded streams replayed byte for byte")
struct RecordedReplayTests {
    static let configuration = RelaySimulatorConfiguration(replayDirectory: RecordedStreams.directory)
    static let streamed = [
        "openai-tool-call", "openai-parallel-tool-calls", "openai-refusal", "openai-n3", "openai-logprobs",
        "openai-refusal-logprobs", "deepseek-reasoning", "deepseek-reasoning-tool-call", "openai-audio-transcript",
    ]
    static let bodies = ["openai-tool-call", "openai-parallel-tool-calls", "deepseek-reasoning", "deepseek-reasoning-tool-call", "openai-audio"]

    /// The stored bytes and, for the one-JSON-per-line format, the SSE a client must receive for them.
    static func recorded(_ name: String) throws -> (events: [String], isLines: Bool) {
        let folder = URL(fileURLWithPath: RecordedStreams.directory)
        if let text = try? String(contentsOf: folder.appendingPathComponent("\(name).sse"), encoding: .utf8) {
            return (text.components(separatedBy: "\n\n").dropLast().map { $0 + "\n\n" }, false)
        }
        let text = try String(contentsOf: folder.appendingPathComponent("\(name).chunks.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { "data: \($0)\n\n" }
        return (lines + ["data: [DONE]\n\n"], true)
    }

    @Test("a streamed fixture arrives exactly as recorded", arguments: streamed)
    func streamedFixtureArrivesAsRecorded(name: String) async throws {
        let expected = try Self.recorded(name).events.joined()
        try await withRelaySimulator(configuration: Self.configuration) { port in
            let answer = try await SimulatorHTTP.post(
                port,
                SimulatorHTTP.body(
                    #""tollgate_sim":{"replay":"\#(name)"}"#,
                    stream: true,
                    includeUsage: true
                )
            )
            #expect(answer.status == 200)
            #expect(answer.header("content-type") == "text/event-stream")
            #expect(answer.text == expected)
            #expect(answer.text.contains("\"usage\":{"), "every recording here carries usage")
        }
    }

    @Test("without usage, only the usage is gone: its own event dropped, or its value null", arguments: streamed)
    func streamedFixtureWithoutUsage(name: String) async throws {
        let (events, _) = try Self.recorded(name)
        let expected = events.compactMap { event -> String? in
            if event.contains(#""choices":[],"usage":{"#) { return nil }
            guard let usage = event.range(of: #","usage":{"#) else { return event }
            return event[..<usage.lowerBound] + #","usage":null}"# + "\n\n"
        }.joined()
        try await withRelaySimulator(configuration: Self.configuration) { port in
            let notAsked = try await SimulatorHTTP.post(port, SimulatorHTTP.body(#""tollgate_sim":{"replay":"\#(name)"}"#, stream: true))
            let turnedOff = try await SimulatorHTTP.post(
                port,
                SimulatorHTTP.body(#""tollgate_sim":{"replay":"\#(name)","usage":false}"#, stream: true, includeUsage: true)
            )
            let header = try await SimulatorHTTP.post(
                port,
                SimulatorHTTP.body(
                    #""tollgate_sim":{"replay":"\#(name)"}"#,
                    stream: true,
                    includeUsage: true
                ),
                headers: [("X-Sim-Usage", "off")]
            )
            for answer in [notAsked, turnedOff, header] {
                #expect(answer.status == 200)
                #expect(answer.text == expected)
                #expect(!answer.text.contains("\"prompt_tokens\""))
            }
        }
    }

    @Test("a non-streamed fixture is the body as recorded; without usage its usage is null", arguments: bodies)
    func bodyFixtureArrivesAsRecorded(name: String) async throws {
        let stored = try Data(contentsOf: URL(fileURLWithPath: RecordedStreams.directory).appendingPathComponent("\(name).json"))
        try await withRelaySimulator(configuration: Self.configuration) { port in
            let answer = try await SimulatorHTTP.post(port, SimulatorHTTP.body(#""tollgate_sim":{"replay":"\#(name)"}"#))
            #expect(answer.status == 200)
            #expect(answer.header("content-type") == "application/json")
            #expect(answer.bytes == Array(stored))
            let withoutUsage = try await SimulatorHTTP.post(port, SimulatorHTTP.body(#""tollgate_sim":{"replay":"\#(name)","usage":false}"#))
            var recorded = try #require(try JSONSerialization.jsonObject(with: stored) as? [String: Any])
            #expect(recorded["usage"] is [String: Any])
            recorded["usage"] = NSNull()
            #expect(NSDictionary(dictionary: withoutUsage.json).isEqual(to: recorded))
        }
    }

    @Test func theHeaderAsksForAReplayToo() async throws {
        let expected = try Self.recorded("openai-refusal").events.joined()
        try await withRelaySimulator(configuration: Self.configuration) { port in
            let answer = try await SimulatorHTTP.post(
                port,
                SimulatorHTTP.body(stream: true, includeUsage: true),
                headers: [("X-Sim-Replay", "openai-refusal")]
            )
            #expect(answer.text == expected)
        }
    }

    @Test func aReplayKeepsTheSimulatorsPacing() async throws {
        var configuration = Self.configuration
        configuration.tokensPerSecond = 100
        try await withRelaySimulator(configuration: configuration) { port in
            let started = ContinuousClock.now
            let answer = try await SimulatorHTTP.post(
                port,
                SimulatorHTTP.body(
                    #""tollgate_sim":{"replay":"openai-tool-call"}"#,
                    stream: true,
                    includeUsage: true
                )
            )
            #expect(answer.status == 200)
            // 17 events, 16 gaps of 10 ms.
            #expect(ContinuousClock.now - started >= .milliseconds(150))
        }
    }

    @Test func aDropFaultCutsAReplayMidStream() async throws {
        try await withRelaySimulator(configuration: Self.configuration) { port in
            _ = await #expect(throws: (any Error).self) {
                _ = try await SimulatorHTTP.post(
                    port,
                    SimulatorHTTP.body(#""tollgate_sim":{"replay":"openai-n3"}"#, stream: true),
                    headers: [("X-Sim-Drop-After", "3")]
                )
            }
        }
    }

    @Test func anUnknownFixtureIs400ListingTheNames() async throws {
        try await withRelaySimulator(configuration: Self.configuration) { port in
            let streamed = try await SimulatorHTTP.post(port, SimulatorHTTP.body(#""tollgate_sim":{"replay":"nope"}"#, stream: true))
            #expect(streamed.status == 400)
            #expect(streamed.text.contains("replay_not_found"))
            #expect(streamed.text.contains("openai-n3"))
            // n=3 was recorded streamed only: a non-streaming request is told which names it can have.
            let body = try await SimulatorHTTP.post(port, SimulatorHTTP.body(#""tollgate_sim":{"replay":"openai-n3"}"#))
            #expect(body.status == 400)
            #expect(body.text.contains("openai-audio"))
            #expect(!body.text.contains("openai-n3,"))
        }
    }

    @Test func aReplayWithoutAFolderIs400SayingHowToSetOne() async throws {
        try await withRelaySimulator { port in
            let answer = try await SimulatorHTTP.post(port, SimulatorHTTP.body(#""tollgate_sim":{"replay":"openai-n3"}"#, stream: true))
            #expect(answer.status == 400)
            #expect(answer.text.contains("replay_unavailable"))
            #expect(answer.text.contains("--replay DIR"))
        }
    }

    @Test func everyFixtureIsCitedInTheReadme() throws {
        let readme = try String(contentsOf: URL(fileURLWithPath: RecordedStreams.directory).appendingPathComponent("README.md"), encoding: .utf8)
        let files = try FileManager.default.contentsOfDirectory(atPath: RecordedStreams.directory).filter { $0 != "README.md" }
        #expect(files.count == Self.streamed.count + Self.bodies.count)
        for file in files {
            #expect(readme.contains("| `\(file)` |"), "\(file) has no row in the sources table")
        }
        #expect(readme.contains("| `openai-audio-transcript.sse` | — | **synthetic**"))
        #expect(Set(RecordedReplay.names(in: RecordedStreams.directory, streaming: true)) == Set(Self.streamed))
        #expect(Set(RecordedReplay.names(in: RecordedStreams.directory, streaming: false)) == Set(Self.bodies))
    }
}
