import Foundation
import Testing

/// RFC 6455 rules on `/v1/ws/stream`, driven by a raw socket because WebSocket libraries won't send
/// broken frames: invalid UTF-8 closes `1007`, a frame or message over 1 MiB closes `1009`, an
/// unmasked client frame closes `1002`.
@Suite("Gateway WebSocket frame rules")
struct WebSocketFrameRulesTests {
    /// Upgrades a raw connection to the relay WebSocket; returns it ready for frames.
    static func upgraded(port: Int) throws -> RawSocket {
        let socket = try RawSocket(port: port)
        socket.send(
            "GET /v1/ws/stream HTTP/1.1\r\nHost: gateway\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        let (head, _) = socket.read(for: .seconds(5)) { $0.count >= 4 && String(decoding: $0, as: UTF8.self).contains("\r\n\r\n") }
        let text = String(decoding: head, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.1 101") else { throw RawSocket.Failure(description: "no upgrade: \(text)") }
        return socket
    }

    /// One client frame; `mask` nil sends it unmasked.
    static func frame(
        opcode: UInt8,
        _ payload: [UInt8],
        fin: Bool = true,
        mask: [UInt8]? = [0x1f, 0x2e, 0x3d, 0x4c],
        claimedLength: Int? = nil
    ) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let length = claimedLength ?? payload.count
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        switch length {
        case ..<126: bytes.append(maskBit | UInt8(length))
        case ..<65536: bytes += [maskBit | 126, UInt8(length >> 8), UInt8(length & 0xff)]
        default: bytes += [maskBit | 127] + (0..<8).reversed().map { UInt8((length >> ($0 * 8)) & 0xff) }
        }
        guard let mask else { return bytes + payload }
        return bytes + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }

    /// The status code of the first close frame the server sent, if any.
    static func closeCode(_ bytes: [UInt8]) -> Int? {
        guard let close = serverFrames(bytes).first(where: { $0.opcode == 0x8 }), close.payload.count >= 2 else { return nil }
        return Int(close.payload[0]) << 8 | Int(close.payload[1])
    }

    /// The JSON objects of the server's text frames.
    static func textFrames(_ bytes: [UInt8]) -> [[String: Any]] {
        serverFrames(bytes).filter { $0.opcode == 0x1 }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.payload)) as? [String: Any] }
    }

    /// The server's (unmasked) frames in `bytes`; a frame cut short at the end is left out.
    static func serverFrames(_ bytes: [UInt8]) -> [(opcode: UInt8, payload: [UInt8])] {
        var frames: [(opcode: UInt8, payload: [UInt8])] = []
        var index = 0
        while index + 2 <= bytes.count {
            let opcode = bytes[index] & 0x0f
            var length = Int(bytes[index + 1] & 0x7f)
            var start = index + 2
            if length == 126 {
                guard start + 2 <= bytes.count else { break }
                length = Int(bytes[start]) << 8 | Int(bytes[start + 1])
                start += 2
            } else if length == 127 {
                guard start + 8 <= bytes.count else { break }
                length = bytes[start..<start + 8].reduce(0) { $0 << 8 | Int($1) }
                start += 8
            }
            guard start + length <= bytes.count else { break }
            frames.append((opcode, Array(bytes[start..<start + length])))
            index = start + length
        }
        return frames
    }

    /// Sends `frames` on a fresh session; returns the close code the server sent and whether it closed.
    static func closing(port: Int, after frames: [[UInt8]]) async throws -> (code: Int?, closed: Bool) {
        try await offPool {
            let socket = try upgraded(port: port)
            for frame in frames { socket.send(frame) }
            let (bytes, closed) = socket.read(for: .seconds(10))
            return (closeCode(bytes), closed)
        }
    }

    @Test("a text frame that is not UTF-8 closes the session with 1007")
    func invalidUTF8() async throws {
        try await GatewayHarness.run { harness in
            let outcome = try await Self.closing(port: harness.port, after: [Self.frame(opcode: 0x1, [0x7b, 0xc3, 0x28, 0xff, 0x7d])])
            #expect(outcome.code == 1007)
            #expect(outcome.closed)
        }
    }

    @Test("a frame over 1 MiB closes with 1009, and so does a message over 1 MiB sent in fragments")
    func overSize() async throws {
        try await GatewayHarness.run { harness in
            let single = try await Self.closing(port: harness.port, after: [Self.frame(opcode: 0x1, Array("{}".utf8), claimedLength: 2 << 20)])
            #expect(single.code == 1009)
            #expect(single.closed)
            let half = [UInt8](repeating: 0x61, count: 700 << 10)
            let fragmented = try await Self.closing(
                port: harness.port,
                after: [Self.frame(opcode: 0x1, half, fin: false), Self.frame(opcode: 0x0, half, fin: true)]
            )
            #expect(fragmented.code == 1009)
            #expect(fragmented.closed)
        }
    }

    @Test("an unmasked client frame closes the session with 1002 before it is read")
    func unmasked() async throws {
        try await GatewayHarness.run { harness in
            let start = #"{"type":"session.start","model":"gpt-4.1","auth":{"api_key":"\#(harness.alphaKey)"}}"#
            let outcome = try await Self.closing(port: harness.port, after: [Self.frame(opcode: 0x1, Array(start.utf8), mask: nil)])
            #expect(outcome.code == 1002)
            #expect(outcome.closed)
            // The same frame masked is a session.
            let masked = try await offPool { () -> String in
                let socket = try Self.upgraded(port: harness.port)
                socket.send(Self.frame(opcode: 0x1, Array(start.utf8)))
                return String(
                    decoding: socket.read(for: .seconds(5)) { String(decoding: $0, as: UTF8.self).contains("session") }.bytes,
                    as: UTF8.self
                )
            }
            #expect(masked.contains("session_established"), "\(masked)")
        }
    }
}
