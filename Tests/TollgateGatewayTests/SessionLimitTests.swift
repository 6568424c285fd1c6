import Foundation
import Testing
import TollgateAdmin
import TollgateRelaySim

/// A relay WebSocket session is held to a history cap, and its key and team are checked again
/// before every turn.
@Suite("Gateway WebSocket session limits")
struct SessionLimitTests {
    typealias Frames = WebSocketFrameRulesTests

    static func text(_ object: [String: Any]) -> [UInt8] {
        Frames.frame(opcode: 0x1, Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data()))
    }

    static func start(_ key: String) -> [UInt8] {
        text(["type": "session.start", "model": "gpt-4.1", "auth": ["api_key": key]])
    }

    static func message(_ content: String, role: String = "user") -> [UInt8] {
        text(["type": "chat.message", "content": content, "role": role])
    }

    /// Reads until a frame of `type` (or a close frame) arrives; returns every text frame so far and whether the server closed.
    static func read(_ socket: RawSocket, until type: String) -> (frames: [[String: Any]], bytes: [UInt8], closed: Bool) {
        let (bytes, closed) = socket.read(for: .seconds(15)) { bytes in
            Frames.serverFrames(bytes).contains { $0.opcode == 0x8 } || Frames.textFrames(bytes).contains { $0["type"] as? String == type }
        }
        return (Frames.textFrames(bytes), bytes, closed || Frames.closeCode(bytes) != nil)
    }

    @Test("a 300-frame history flood: turns before the cap bill the whole history, the frame past it gets history_too_large and a 1008 close")
    func historyFlood() async throws {
        try await GatewayHarness.run(simulator: RelaySimulatorConfiguration(outputTokens: 8)) { harness in
            let (port, key) = (harness.port, harness.alphaKey)
            let (turnBytes, endBytes) = try await offPool { () -> ([UInt8], [UInt8]) in
                let socket = try Frames.upgraded(port: port)
                socket.send(Self.start(key))
                _ = Self.read(socket, until: "session_established")
                for index in 0..<20 { socket.send(Self.message("house rule \(index): answer in one short sentence, no lists.", role: "system")) }
                socket.send(Self.message("hi"))
                let turn = Self.read(socket, until: "message_done").bytes
                // In bursts under the 64-frame queue, so the cap (not the queue bound) is what refuses.
                for index in 0..<300 {
                    socket.send(Self.message("flood \(index) " + String(repeating: "x", count: 64), role: "system"))
                    if index % 25 == 24 { Thread.sleep(forTimeInterval: 0.05) }
                }
                return (turn, Self.read(socket, until: "(the close)").bytes)
            }
            let turn = Frames.textFrames(turnBytes).first { $0["type"] as? String == "message_done" }
            let refusal = Frames.textFrames(endBytes).first { $0["type"] as? String == "error" }
            let code = Frames.closeCode(endBytes)
            let usage = try #require(turn?["usage"] as? [String: Any])
            // 20 system messages of ~14 tokens each reached the relay with "hi", and were billed as input.
            #expect((usage["input_tokens"] as? Int ?? 0) > 200, "\(usage)")
            #expect(refusal?["code"] as? String == "history_too_large")
            #expect((refusal?["message"] as? String)?.contains("start a new session") == true)
            #expect(code == 1008)
            let entries = try await harness.entries(team: "alpha")
            #expect(entries.count == 1)
            #expect(entries.first?.usage.inputTokens == usage["input_tokens"] as? Int)
        }
    }

    @Test(
        "a key revoked mid-session, or a team disabled, stops the next turn with an error event and a 1008 close",
        arguments: ["revoked", "disabled"]
    )
    func recheckedEveryTurn(change: String) async throws {
        try await GatewayHarness.run(simulator: RelaySimulatorConfiguration(outputTokens: 8)) { harness in
            let key = try await harness.team("gamma", budget: "10")
            let socket = try await offPool { () -> RawSocket in
                let socket = try Frames.upgraded(port: harness.port)
                socket.send(Self.start(key))
                _ = Self.read(socket, until: "session_established")
                socket.send(Self.message("hi"))
                _ = Self.read(socket, until: "message_done")
                return socket
            }
            if change == "revoked" {
                _ = try await harness.admin.revokeKey(prefix: KeyCodec.prefix(of: key))
            } else {
                _ = try await harness.admin.disableTeam("gamma")
            }
            let (bytes, closed) = try await offPool { () -> ([UInt8], Bool) in
                socket.send(Self.message("and again"))
                let end = Self.read(socket, until: "(the close)")
                return (end.bytes, end.closed)
            }
            let frames = Frames.textFrames(bytes)
            let error = frames.first { $0["type"] as? String == "error" }
            #expect(error?["code"] as? String == (change == "revoked" ? "invalid_api_key" : "team_disabled"), "\(frames)")
            #expect(Frames.closeCode(bytes) == 1008)
            #expect(closed)
            #expect(!frames.contains { $0["type"] as? String == "content_delta" })
            #expect(try await harness.entries(team: "gamma").count == 1, "only the turn before the change was billed")
        }
    }
}
