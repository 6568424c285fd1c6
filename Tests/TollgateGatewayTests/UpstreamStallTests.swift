import Foundation
import Testing
import TollgateStreaming

/// A WebSocket relay that stalls mid-stream while still answering pings: the gateway's stream ends
/// at the relay client's idle deadline and the hold is settled for what was delivered.
@Suite("Gateway over a stalled WebSocket relay")
struct UpstreamStallTests {
    static let stalling = RelayWebSocketClient.Configuration(
        idleTimeout: .milliseconds(500),
        heartbeat: .init(pingInterval: .milliseconds(100), pongTimeout: .milliseconds(200)),
        retry: .init(maxAttempts: 1),
        additionalHeaders: [("X-Sim-Stall-After", "2"), ("X-Sim-Stall-Ms", "6000")]
    )

    @Test("the SSE stream ends with an upstream_error event at the idle deadline; the hold is settled as upstream_error, nothing stays open")
    func stalledRelay() async throws {
        try await GatewayHarness.run(relay: Self.stalling) { harness in
            let started = ContinuousClock.now
            let exchange = try await harness.chat(key: harness.alphaKey, stream: true)
            #expect(ContinuousClock.now - started < .seconds(4))
            #expect(exchange.status == 200)
            let last = exchange.events.last(where: { $0 != "[DONE]" }) ?? ""
            #expect(last.contains("upstream_error") && last.contains("no frame from the upstream within 0.5 seconds"), "\(last)")
            var entries = try await harness.entries(team: "alpha")
            for _ in 0..<100 where entries.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
                entries = try await harness.entries(team: "alpha")
            }
            #expect(entries.count == 1)
            #expect(entries.first?.outcome == "upstream_error")
            #expect((entries.first?.usage.outputTokens ?? 0) > 0, "what was delivered before the stall is billed")
            #expect(try await harness.ledger.openReservations(teamID: nil).isEmpty)
        }
    }
}
