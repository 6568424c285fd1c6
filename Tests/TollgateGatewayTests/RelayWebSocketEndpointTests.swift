import Foundation
import Testing
import TollgateCore
import TollgateRelaySim

/// The relay guide's Python client flow (pip `websocket-client`) against the gateway, changing only
/// the URL and the key.
@Suite(
    "Gateway /v1/ws/stream with the seed's Python flow",
    .enabled(if: PythonClient.webSocketReady, "python3 with the websocket-client module is required: pip install websocket-client")
)
struct RelayWebSocketEndpointTests {
    struct Output: Decodable {
        struct Usage: Decodable {
            let input_tokens: Int
            let output_tokens: Int
        }
        struct Done: Decodable {
            let cost: String
            let currency: String
            let finish_reason: String?
        }
        struct Failure: Decodable {
            let code: String
            let message: String
            let available: String?
            let needed: String?
        }
        let events: [String]
        let text: String
        let usage: Usage?
        let done: Done?
        let error: Failure?
    }

    static let script = PythonClient.scripts.appendingPathComponent("seed_ws_flow.py").path

    func flow(_ harness: GatewayHarness, key: String, _ extra: [String] = []) async throws -> (status: Int32, output: Output, stderr: String) {
        let result = try await PythonClient.runOffPool(
            ["python3", Self.script, "--url", "ws://127.0.0.1:\(harness.port)/v1/ws/stream", "--key", key] + extra
        )
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        return (result.status, output, result.stderr)
    }

    @Test("both request shapes stream to message_done, which carries usage and the cost charged", arguments: ["session", "completion"])
    func streams(shape: String) async throws {
        try await GatewayHarness.run { harness in
            let (status, output, stderr) = try await flow(harness, key: harness.alphaKey, ["--shape", shape])
            #expect(status == 0, "\(stderr)")
            #expect(output.events.first == "session_established")
            #expect(output.events.dropFirst().first == "content_block_start")
            #expect(output.events.last == "message_done")
            #expect(!output.text.isEmpty)
            let entry = try #require(try await harness.entries(team: "alpha").first)
            #expect(output.usage?.input_tokens == entry.usage.inputTokens)
            #expect(output.usage?.output_tokens == entry.usage.outputTokens)
            #expect(output.done?.cost == entry.chargeCNY.decimalString)
            #expect(output.done?.currency == "CNY")
        }
    }

    @Test("a soft budget cut mid-stream ends the turn with message_done finish_reason length, billed as cut_off")
    func cutoff() async throws {
        try await GatewayHarness.run(simulator: .init(outputTokens: 200)) { harness in
            let key = try await harness.team("frugal", budget: "0.0003", policy: .soft)
            let (status, output, stderr) = try await flow(harness, key: key)
            #expect(status == 0, "\(stderr)")
            #expect(output.done?.finish_reason == "length")
            let entry = try #require(try await harness.entries(team: "frugal").first)
            #expect(entry.outcome == "cut_off")
            #expect(output.done?.cost == entry.chargeCNY.decimalString)
        }
    }

    @Test("the key may come only in session.start's auth.api_key")
    func keyInFrame() async throws {
        try await GatewayHarness.run { harness in
            let (status, output, stderr) = try await flow(harness, key: harness.betaKey, ["--no-header-key"])
            #expect(status == 0, "\(stderr)")
            #expect(output.events.last == "message_done")
            #expect(try await harness.entries(team: "beta").count == 1)
            #expect(try await harness.entries(team: "alpha").isEmpty)
        }
    }

    @Test("frames the protocol doesn't allow get an error event saying what to send; a session.start without a model is refused")
    func protocolErrors() async throws {
        try await GatewayHarness.run { harness in
            let script = """
                import json, sys, websocket
                ws = websocket.create_connection(sys.argv[1], timeout=10, header=["Authorization: Bearer " + sys.argv[2]])
                replies = []
                for frame in ["not json", json.dumps({"type": "chat.message", "content": "hi"}), json.dumps({"type": "bogus"}),
                              json.dumps({"type": "session.start"})]:
                    ws.send(frame)
                    replies.append(json.loads(ws.recv()))
                print(json.dumps(replies))
                """
            let result = try await PythonClient.runOffPool(["python3", "-c", script, "ws://127.0.0.1:\(harness.port)/v1/ws/stream", harness.alphaKey])
            #expect(result.status == 0, "\(result.stderr)")
            let replies = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            #expect(replies.count == 4)
            #expect(replies.allSatisfy { $0["type"] as? String == "error" && $0["code"] as? String == "invalid_request" })
            let messages = replies.compactMap { $0["message"] as? String }
            #expect(messages.count == 4)
            #expect(messages[0].contains("JSON objects with a 'type' field"))
            #expect(messages[1].contains("send session.start"))
            #expect(messages[2].contains("unknown frame type 'bogus'"))
            #expect(messages[3].contains("X-HolySheep-Model"))
            let metrics = try await harness.send(.GET, "/metrics", key: nil).body
            #expect(sample(metrics, "tollgate_gateway_errors_total", [#"code="invalid_request""#, #"protocol="relay_ws""#]) == 4)
        }
    }

    @Test("the session keeps reading while a turn streams: a ping sent mid-turn is answered before message_done")
    func pingsAnsweredMidTurn() async throws {
        // Before, control frames were only read between turns, so the gateway's own 30 s auto-ping
        // found no pong and closed every turn that streamed for more than a minute.
        try await GatewayHarness.run(simulator: RelaySimulatorConfiguration(tokensPerSecond: 20, outputTokens: 40)) { harness in
            let script = """
                import json, sys, websocket
                ws = websocket.create_connection(sys.argv[1], timeout=20, header=["Authorization: Bearer " + sys.argv[2]])
                ws.send(json.dumps({"type": "chat.completion", "model": "gpt-4.1", "messages": [{"role": "user", "content": "hi"}]}))
                seen, pinged = [], False
                while True:
                    frame = ws.recv_data_frame(True)[1]
                    if frame.opcode == websocket.ABNF.OPCODE_PONG:
                        seen.append("pong")
                        continue
                    if frame.opcode != websocket.ABNF.OPCODE_TEXT:
                        break
                    kind = json.loads(frame.data.decode())["type"]
                    seen.append(kind)
                    if kind == "content_delta" and not pinged:
                        ws.ping("mid-turn")
                        pinged = True
                    if kind in ("message_done", "error"):
                        break
                print(json.dumps(seen))
                """
            let result = try await PythonClient.runOffPool(["python3", "-c", script, "ws://127.0.0.1:\(harness.port)/v1/ws/stream", harness.alphaKey])
            #expect(result.status == 0, "\(result.stderr)")
            let seen = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String])
            let pong = try #require(seen.firstIndex(of: "pong"), "no pong: \(seen)")
            let done = try #require(seen.firstIndex(of: "message_done"), "\(seen)")
            #expect(pong < done, "the pong came only after the turn: \(seen)")
        }
    }

    @Test("a client flooding frames during a turn gets its turn, then an invalid_request error and a close")
    func floodDuringTurn() async throws {
        try await GatewayHarness.run(simulator: RelaySimulatorConfiguration(tokensPerSecond: 20, outputTokens: 40)) { harness in
            let script = """
                import json, sys, websocket
                ws = websocket.create_connection(sys.argv[1], timeout=20, header=["Authorization: Bearer " + sys.argv[2]])
                ws.send(json.dumps({"type": "chat.completion", "model": "gpt-4.1", "messages": [{"role": "user", "content": "hi"}]}))
                for _ in range(100):
                    ws.send(json.dumps({"type": "bogus"}))
                kinds, last_error, close = [], None, None
                while True:
                    frame = ws.recv_data_frame(True)[1]
                    if frame.opcode == websocket.ABNF.OPCODE_CLOSE:
                        close = int.from_bytes(frame.data[:2], "big")
                        break
                    if frame.opcode != websocket.ABNF.OPCODE_TEXT:
                        continue
                    message = json.loads(frame.data.decode())
                    kinds.append(message["type"])
                    if message["type"] == "error":
                        last_error = message
                print(json.dumps({"done": "message_done" in kinds, "errors": kinds.count("error"), "last": last_error, "close": close}))
                """
            let result = try await PythonClient.runOffPool(["python3", "-c", script, "ws://127.0.0.1:\(harness.port)/v1/ws/stream", harness.alphaKey])
            #expect(result.status == 0, "\(result.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(report["done"] as? Bool == true, "the turn in progress still completes: \(report)")
            let last = try #require(report["last"] as? [String: Any])
            #expect(last["code"] as? String == "invalid_request")
            #expect((last["message"] as? String)?.contains("wait for message_done") == true, "\(last)")
            #expect(report["close"] as? Int == 1008)
            let entries = try await harness.entries(team: "alpha")
            #expect(entries.count == 1 && entries.first?.outcome == "completed")
        }
    }

    @Test("refusals are an error event with the HTTP API's code, then a close")
    func refusals() async throws {
        try await GatewayHarness.run { harness in
            let wrong = try await flow(harness, key: "tg_not-a-real-key-0000000000")
            #expect(wrong.status == 2)
            #expect(wrong.output.error?.code == "invalid_api_key")
            let model = try await flow(harness, key: harness.alphaKey, ["--model", "gpt-4"])
            #expect(model.status == 2)
            #expect(model.output.error?.code == "unknown_model")
            #expect(model.output.error?.message.contains("gpt-4.1") == true)
            let tiny = try await harness.team("tiny", budget: "0.01")
            let budget = try await flow(harness, key: tiny, ["--shape", "completion"])
            #expect(budget.status == 2)
            #expect(budget.output.error?.code == "budget_exceeded")
            #expect(budget.output.error?.available == "0.01")
            #expect(budget.output.error?.needed != nil)
            _ = try await harness.admin.disableTeam("beta")
            let disabled = try await flow(harness, key: harness.betaKey)
            #expect(disabled.output.error?.code == "team_disabled")
        }
    }
}
