import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TollgateRelaySim
import TollgateTestSupport

/// Seeded fuzz of what a client sends the gateway: HTTP bodies mutated from a valid request, and
/// WebSocket sessions of random frames. No 5xx, no crash, nothing left held, and the report
/// rollup still equals the entries (`tollgate report verify`).
@Suite("Seeded fuzz of gateway requests and WebSocket frames")
struct GatewayFuzzTests {

    static let valid =
        #"{"model":"gpt-4.1","messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"Say hi."}],"max_tokens":4,"stream":false}"#

    static let tokens = [
        "\"", "{", "}", "[", "]", ",", ":", "null", "true", "-1", "0", "1.5", "1e30", "1e309", "\"100\"", "99999999999999999999",
        "\"\\u0000\"", "\"\\ud800\"", "\"😀\"", "[]", "{}", #""role":"tool""#, #""model":"gpt-4""#, #""stream":true"#, #""messages":[]"#,
        #""max_tokens":-1"#, #""max_completion_tokens":1.5"#, #""temperature":"hot""#, String(repeating: "a", count: 5000),
    ]

    /// A body: the valid one with a few random edits (replace, insert, cut).
    static func body(_ random: inout SeededGenerator) -> [UInt8] {
        var bytes = Array(valid.utf8)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
            case 1: bytes.insert(contentsOf: Array(tokens.randomElement(using: &random)!.utf8), at: at)
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...12, using: &random)))
            default: bytes = Array(bytes[..<at])
            }
        }
        return bytes
    }

    static let framePayloads = [
        #"{"type":"session.start","model":"gpt-4.1"}"#, #"{"type":"chat.message","content":"hi"}"#,
        #"{"type":"chat.message","role":"system","content":"x"}"#, #"{"type":"chat.message","role":"wizard"}"#,
        #"{"type":"chat.completion","model":"gpt-4.1","messages":[{"role":"user","content":"hi"}],"config":{"max_tokens":3}}"#,
        #"{"type":"chat.completion","messages":[]}"#, #"{"type":"chat.completion","model":"gpt-4.1","config":{"max_tokens":-1}}"#,
        #"{"type":"session.start","model":"gpt-4.1","config":{"max_tokens":1e30}}"#, #"{"type":7}"#, "[]", "null", "{", "",
    ]

    /// One session: random frames (text, binary, ping, continuation, odd opcodes; masked or not),
    /// then a close, so the server's answer ends with its close.
    static func session(_ random: inout SeededGenerator, key: String) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        if Bool.random(using: &random) {
            frames.append(SessionLimitTests.start(key))
        }
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            var payload = Array(framePayloads.randomElement(using: &random)!.utf8)
            if !payload.isEmpty, Int.random(in: 0..<3, using: &random) == 0 {
                payload[Int.random(in: 0..<payload.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            let opcode: UInt8 = [0x1, 0x1, 0x1, 0x1, 0x2, 0x0, 0x9, 0xA, 0x3, 0xB].randomElement(using: &random)!
            let masked = Int.random(in: 0..<10, using: &random) > 0
            frames.append(
                WebSocketFrameRulesTests.frame(
                    opcode: opcode,
                    payload,
                    fin: Int.random(in: 0..<6, using: &random) > 0,
                    mask: masked ? [0x0a, 0x0b, 0x0c, 0x0d] : nil
                )
            )
        }
        frames.append(WebSocketFrameRulesTests.frame(opcode: 0x8, [0x03, 0xe8]))
        return frames
    }

    @Test("1,200 HTTP bodies and 400 WebSocket sessions, seeded: no 5xx, nothing held, the rollup verifies")
    func fuzz() async throws {
        try await GatewayHarness.run(simulator: RelaySimulatorConfiguration(outputTokens: 4)) { harness in
            var random = SeededGenerator(seed: 0xF022_2026)
            var statuses: [Int: Int] = [:]
            for _ in 0..<1200 {
                let body = Self.body(&random)
                var request = HTTPClientRequest(url: harness.base + "/v1/chat/completions")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(harness.alphaKey)")
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                let status = Int(response.status.code)
                statuses[status, default: 0] += 1
                #expect(status < 500, "\(String(decoding: body, as: UTF8.self)) → \(status) \(text)")
                #expect(!text.contains(#""code":"internal_error""#), "\(String(decoding: body, as: UTF8.self)) → \(text)")
            }
            #expect(statuses.keys.contains(200) && statuses.keys.contains(400), "the cases reach both admission and refusal: \(statuses)")
            let sessions = (0..<400).map { _ in Self.session(&random, key: harness.alphaKey) }
            let port = harness.port
            let answers = try await offPool { () -> [[UInt8]] in
                try sessions.map { frames in
                    let socket = try WebSocketFrameRulesTests.upgraded(port: port)
                    for frame in frames { socket.send(frame) }
                    return socket.read(for: .seconds(10)).bytes
                }
            }
            for (frames, answer) in zip(sessions, answers) {
                let serverErrors = WebSocketFrameRulesTests.textFrames(answer).filter { ($0["status"] as? Int ?? 0) >= 500 }
                #expect(serverErrors.isEmpty, "\(frames.count) frames → \(serverErrors)")
                #expect(WebSocketFrameRulesTests.closeCode(answer) != 1011, "no unexpected server error close")
            }
            #expect(try await GatewayHarness.health(harness) == 200)
            for _ in 0..<100 where try await !harness.ledger.openReservations(teamID: nil).isEmpty {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await harness.ledger.openReservations(teamID: nil).isEmpty)
            let check = try await harness.ledger.verifyRollup(from: .distantPast, to: .distantFuture)
            #expect(check.mismatches.isEmpty, "\(check.mismatches.prefix(5))")
        }
    }
}

extension GatewayHarness {
    /// The status of `GET /healthz`.
    static func health(_ harness: GatewayHarness) async throws -> Int {
        try await harness.send(.GET, "/healthz", key: nil).status
    }
}
