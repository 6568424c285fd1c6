import AsyncHTTPClient
import Foundation
import Logging
import Synchronization
import Testing
import TollgateGateway

/// Hostile connections: slow or silent clients are closed by the deadlines, malformed heads are
/// answered `400` and closed, and connections past the cap are refused with a `503`.
@Suite("Gateway connection limits")
struct ConnectionLimitTests {
    // The idle timeout outlasts the head and body deadlines, as the defaults do (60 s vs 10 s / 30 s):
    // Hummingbird's idle timer also runs while a body trickles in, and at equal values the two
    // timers race, so a loaded machine could see a silent idle close instead of the 408.
    static let quick = ServerLimits(
        requestHeadTimeout: .seconds(1),
        idleTimeout: .seconds(3),
        bodyTimeout: .seconds(1),
        maxHeaderCount: 100,
        maxHeaderBytes: 64 << 10,
        maxConnections: 4096
    )

    /// What "stays fast" means for `/healthz` beside hostile sockets. The failure these tests guard
    /// against was no answer at all (> 150 s, the server out of descriptors or stuck behind the
    /// sockets); a loaded CI machine accepting 2,000 connections first can take a second or two, so
    /// the bound separates a hang from a busy machine rather than timing the server.
    static let healthBound = Duration.seconds(5)

    /// `GET /healthz` answers, and how long it took.
    static func health(_ harness: GatewayHarness) async throws -> Duration {
        let clock = ContinuousClock()
        var status = 0
        let elapsed = try await clock.measure {
            status = try await harness.send(.GET, "/healthz", key: nil).status
        }
        #expect(status == 200)
        return elapsed
    }

    @Test("a slowloris sending its head a byte at a time is answered 408 and closed at the head deadline")
    func slowloris() async throws {
        try await GatewayHarness.run(limits: Self.quick) { harness in
            let port = harness.port
            let (reply, closed, elapsed) = try await offPool { () -> (String, Bool, Duration) in
                let socket = try RawSocket(port: port)
                let started = ContinuousClock.now
                socket.send("GET /healthz HTTP/1.1\r\nHost: gateway\r\n")
                for byte in "X-Slow: 1234567890abcdefghij".utf8 {
                    guard socket.send([byte]) else { break }
                    let (_, closed) = socket.read(for: .milliseconds(150))
                    if closed { return ("", true, ContinuousClock.now - started) }
                }
                let (bytes, closed) = socket.read(for: .seconds(5))
                return (String(decoding: bytes, as: UTF8.self), closed, ContinuousClock.now - started)
            }
            #expect(closed)
            #expect(elapsed < .seconds(4))
            #expect(reply.isEmpty || reply.hasPrefix("HTTP/1.1 408"), "\(reply)")
            #expect(try await Self.health(harness) < Self.healthBound)
        }
    }

    @Test("2,000 idle sockets: /healthz stays fast, and the head deadline closes every one")
    func idleSockets() async throws {
        let available = raiseDescriptorLimit(to: 4500)
        try #require(available >= 4200, "the descriptor hard limit (\(available)) is too low for 2,000 client and 2,000 server sockets")
        try await GatewayHarness.run(limits: Self.quick) { harness in
            let port = harness.port
            let sockets = try await offPool { try (0..<2000).map { _ in try RawSocket(port: port) } }
            #expect(try await Self.health(harness) < Self.healthBound)
            let stillOpen = try await offPool { () -> Int in
                let deadline = ContinuousClock.now + .seconds(10)
                var open = sockets
                while !open.isEmpty, ContinuousClock.now < deadline {
                    open.removeAll { $0.peerClosed }
                    if !open.isEmpty { Thread.sleep(forTimeInterval: 0.1) }
                }
                return open.count
            }
            #expect(stillOpen == 0)
            #expect(try await Self.health(harness) < Self.healthBound)
        }
    }

    @Test("closing silent, malformed and over-cap sockets logs no error per socket")
    func quietLog() async throws {
        let recorded = RecordedLog()
        var limits = Self.quick
        limits.maxConnections = 20
        try await GatewayHarness.run(limits: limits, logHandler: { _ in recorded }) { harness in
            let port = harness.port
            try await offPool {
                let sockets = try (0..<30).map { _ in try RawSocket(port: port) }
                for socket in sockets.prefix(5) { socket.send("\u{02} garbage\r\n\r\n") }
                for socket in sockets { _ = socket.read(for: .seconds(5)) }
            }
        }
        #expect(recorded.errors.isEmpty, "\(recorded.errors.prefix(3))")
    }

    @Test("a body that stops arriving is answered 408 and closed at the body deadline")
    func slowBody() async throws {
        try await GatewayHarness.run(limits: Self.quick) { harness in
            let (port, key) = (harness.port, harness.alphaKey)
            let (reply, closed) = try await offPool { () -> (String, Bool) in
                let socket = try RawSocket(port: port)
                socket.send(
                    "POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"model\":"
                )
                let (bytes, closed) = socket.read(for: .seconds(5))
                return (String(decoding: bytes, as: UTF8.self), closed)
            }
            #expect(closed)
            #expect(reply.hasPrefix("HTTP/1.1 408"), "\(reply)")
            #expect(reply.contains("request_timeout"))
        }
    }

    @Test("an idle keep-alive connection is closed at the idle deadline")
    func idleKeepAlive() async throws {
        try await GatewayHarness.run(limits: Self.quick) { harness in
            let port = harness.port
            let (reply, closed) = try await offPool { () -> (String, Bool) in
                let socket = try RawSocket(port: port)
                socket.send("GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n")
                let (bytes, closed) = socket.read(for: .seconds(5))
                return (String(decoding: bytes, as: UTF8.self), closed)
            }
            #expect(reply.hasPrefix("HTTP/1.1 200"))
            #expect(closed)
        }
    }

    static let malformed: [(name: String, request: String)] = [
        ("bad header bytes", "GET /healthz HTTP/1.1\r\nHost: gateway\r\nX-Bad: a\u{01}b\r\n\r\n"),
        (
            "Content-Length with Transfer-Encoding",
            "POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        ),
        ("garbage request line", "\u{02}\u{03} what is this\r\n\r\n"),
        ("a 1 MiB header", "GET /healthz HTTP/1.1\r\nHost: gateway\r\nX-Big: " + String(repeating: "a", count: 1 << 20) + "\r\n\r\n"),
        ("1,001 headers", "GET /healthz HTTP/1.1\r\nHost: gateway\r\n" + (0...1000).map { "X-H\($0): v\r\n" }.joined() + "\r\n"),
    ]

    @Test("each malformed request is answered 400 malformed_request and closed", arguments: 0..<5)
    func malformedRequest(case index: Int) async throws {
        let (name, request) = Self.malformed[index]
        try await GatewayHarness.run(limits: Self.quick) { harness in
            let port = harness.port
            for second in [false, true] {
                let (reply, closed) = try await offPool { () -> (String, Bool) in
                    let socket = try RawSocket(port: port)
                    if second {
                        // The same bytes as the second request of a keep-alive connection.
                        socket.send("GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n")
                        _ = socket.read(for: .seconds(2)) { String(decoding: $0, as: UTF8.self).contains("\"ok\"") }
                    }
                    socket.send(request)
                    let (bytes, closed) = socket.read(for: .seconds(5))
                    return (String(decoding: bytes, as: UTF8.self), closed)
                }
                #expect(reply.hasPrefix("HTTP/1.1 400"), "\(name) (second: \(second)): \(reply.prefix(300))")
                #expect(closed, "\(name) (second: \(second))")
            }
            #expect(try await Self.health(harness) < Self.healthBound)
        }
    }

    @Test("past the connection cap a client is answered 503 too_many_connections and closed; a freed slot serves again")
    func connectionCap() async throws {
        var limits = Self.quick
        limits.requestHeadTimeout = .seconds(30)
        limits.maxConnections = 3
        try await GatewayHarness.run(limits: limits) { harness in
            let port = harness.port
            let held = try await offPool { try (0..<3).map { _ in try RawSocket(port: port) } }
            let (reply, closed) = try await offPool { () -> (String, Bool) in
                // Accepted connections are set up on several event loops: let the three be counted first.
                Thread.sleep(forTimeInterval: 0.3)
                let socket = try RawSocket(port: port)
                socket.send("GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n")
                let (bytes, closed) = socket.read(for: .seconds(5))
                return (String(decoding: bytes, as: UTF8.self), closed)
            }
            #expect(reply.hasPrefix("HTTP/1.1 503"), "\(reply)")
            #expect(reply.contains("too_many_connections"))
            #expect(closed)
            held[0].hangUp()
            let freed = try await offPool { () -> String in
                Thread.sleep(forTimeInterval: 0.2)
                let socket = try RawSocket(port: port)
                socket.send("GET /healthz HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n")
                return String(decoding: socket.read(for: .seconds(5)).bytes, as: UTF8.self)
            }
            #expect(freed.hasPrefix("HTTP/1.1 200"), "\(freed)")
            withExtendedLifetime(held) {}
        }
    }
}

/// A log handler that keeps the messages logged at error level or above.
final class RecordedLog: LogHandler, @unchecked Sendable {
    // @unchecked: the only mutable state is behind `lines`' Mutex; metadata and level are set once, before use.
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    private let lines = Mutex<[String]>([])

    var errors: [String] { lines.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.level >= .error else { return }
        lines.withLock { $0.append("\(event.message) \(event.metadata ?? [:])") }
    }
}
