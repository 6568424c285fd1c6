import Foundation
import Testing
import TollgateRelaySim
import TollgateStreaming
import TollgateTestSupport

/// Runs the relay guide's Python client flow (pip `websocket-client`) against the simulator, so the
/// simulator is checked against an independent implementation of the protocol, not only our client.
@Suite("Seed Python client flow against the simulator")
struct SeedPythonFlowTests {
    static let script: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Python/seed_ws_flow.py")

    static let pythonReady: Bool = {
        guard let result = try? ChildProcess.run(["python3", "-c", "import websocket"]) else { return false }
        return result.status == 0
    }()

    struct Output: Decodable {
        struct Usage: Decodable {
            let input_tokens: Int
            let output_tokens: Int
        }
        let events: [String]
        let text: String
        let usage: Usage?
    }

    @Test(
        .enabled(if: pythonReady, "python3 with the websocket-client module is required: pip install websocket-client"),
        arguments: ["session", "completion"]
    )
    func seedFlowStreamsUntilMessageDone(shape: String) async throws {
        try await withRelaySimulator { port in
            let prompt = "Explain WebSocket streaming in two sentences."
            let result = try await ChildProcess.runOffPool([
                "python3", Self.script.path, "--url", "ws://127.0.0.1:\(port)/v1/ws/stream",
                "--shape", shape, "--prompt", prompt,
            ])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
            let messages: [ChatMessage] = shape == "session" ? [.user(prompt)] : [.system("You are terse."), .user(prompt)]
            #expect(output.text == expectedText(messages: messages))
            #expect(output.events.first == "session_established")
            #expect(output.events.dropFirst().first == "content_block_start")
            #expect(output.events.last == "message_done")
            #expect(output.usage?.output_tokens == 32)
        }
    }

    @Test(.enabled(if: pythonReady, "python3 with the websocket-client module is required: pip install websocket-client"))
    func seedFlowSeesTheErrorFrameForABadModel() async throws {
        try await withRelaySimulator { port in
            let result = try await ChildProcess.runOffPool([
                "python3", Self.script.path, "--url", "ws://127.0.0.1:\(port)/v1/ws/stream",
                "--model", "gpt-4",
            ])
            #expect(result.status == 2)
            #expect(result.stderr.contains("Valid models"))
        }
    }
}
