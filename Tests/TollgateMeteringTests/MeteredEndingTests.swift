import Foundation
import Testing
import TollgateCore
import TollgateRelaySim
import TollgateStreaming

@testable import TollgateMetering

@Suite("Metered streams settle on every ending path")
struct MeteredEndingTests {
    @Test("a client that stops reading is billed exactly the tokens delivered to it")
    func clientDisconnect() async throws {
        try await MeteredHarness.run(simulator: .init(outputTokens: 200)) { harness async throws in
            let stream = try await harness.client(usage: false).stream(
                teamID: harness.team.id,
                keyID: nil,
                request: ChatRequest(model: "gpt-4.1", messages: prompt)
            )
            var delivered = ""
            var deltas = 0
            for try await event in stream {
                if case .chat(.textDelta(let text)) = event {
                    delivered += text
                    deltas += 1
                    if deltas == 7 { break }
                }
            }
            let entry = try #require(try await harness.waitForEntries(1).first)
            #expect(entry.outcome == "client_disconnected")
            #expect(entry.usage.outputTokens == (try Vocabularies.counter(forModel: "gpt-4.1").count(delivered)))
            #expect(try await harness.ledger.openReservations(teamID: nil).isEmpty)
        }
    }

    @Test("an upstream error mid-stream bills what arrived and surfaces the typed error")
    func upstreamError() async throws {
        try await MeteredHarness.run(simulator: .init(outputTokens: 100, faults: .init(errorAfterChunks: 5))) { harness async throws in
            let result = await collect(
                try await harness.client(usage: false).stream(
                    teamID: harness.team.id,
                    keyID: nil,
                    request: ChatRequest(model: "gpt-4.1", messages: prompt)
                )
            )
            #expect(result.error is StreamingError)
            let entry = try #require(try await harness.waitForEntries(1).first)
            #expect(entry.outcome == "upstream_error")
            #expect(entry.usage.outputTokens == (try Vocabularies.counter(forModel: "gpt-4.1").count(result.text)))
            #expect(entry.usage.outputTokens > 0)
        }
    }

    @Test("an upstream that drops the connection bills what arrived; the hold is released")
    func upstreamDrop() async throws {
        try await MeteredHarness.run(simulator: .init(outputTokens: 100, faults: .init(dropAfterChunks: 4))) { harness async throws in
            let result = await collect(
                try await harness.client(usage: false).stream(
                    teamID: harness.team.id,
                    keyID: nil,
                    request: ChatRequest(model: "gpt-4.1", messages: prompt)
                )
            )
            #expect((result.error as? StreamingError)?.kind == .upstreamClosedBeforeDone)
            let entry = try #require(try await harness.waitForEntries(1).first)
            #expect(entry.outcome == "upstream_error")
            #expect(try await harness.ledger.reserved(teamID: harness.team.id, currency: .cny) == .zero(.cny))
        }
    }

    @Test("an upstream that refuses before any output bills nothing: upstream_refused at zero cost, the hold released")
    func refusedBeforeOutput() async throws {
        try await MeteredHarness.run(simulator: .init(faults: .init(rejectKey: true))) { harness async throws in
            let result = await collect(
                try await harness.client(usage: false).stream(
                    teamID: harness.team.id,
                    keyID: nil,
                    request: ChatRequest(model: "gpt-4.1", messages: prompt)
                )
            )
            #expect((result.error as? StreamingError)?.kind == .authenticationFailed)
            #expect(result.text.isEmpty)
            let entry = try #require(try await harness.waitForEntries(1).first)
            #expect(entry.outcome == "upstream_refused")
            #expect(entry.usage.inputTokens == 0 && entry.usage.outputTokens == 0)
            #expect(entry.chargeCNY.nanos == 0 && entry.chargeUSD.nanos == 0)
            #expect((entry.localInputTokens ?? 0) > 0)
            #expect(try await harness.ledger.reserved(teamID: harness.team.id, currency: .cny) == .zero(.cny))
        }
    }

    @Test("a stream admitted but never read releases its hold without a ledger entry")
    func neverRead() async throws {
        try await MeteredHarness.run { harness async throws in
            do {
                let stream = try await harness.client().stream(
                    teamID: harness.team.id,
                    keyID: nil,
                    request: ChatRequest(model: "gpt-4.1", messages: prompt)
                )
                #expect(try await harness.ledger.openReservations(teamID: nil).count == 1)
                _ = stream
            }
            for _ in 0..<100 where try await !harness.ledger.openReservations(teamID: nil).isEmpty {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(try await harness.ledger.openReservations(teamID: nil).isEmpty)
            #expect(try await harness.entries().isEmpty)
        }
    }

    @Test("a stream whose upstream was started but never read settles the prompt as client_disconnected")
    func startedNeverRead() async throws {
        try await MeteredHarness.run(simulator: .init(outputTokens: 200)) { harness async throws in
            let admitted: MeteredAdmission
            do {
                let stream = try await harness.client(usage: false).stream(
                    teamID: harness.team.id,
                    keyID: nil,
                    request: ChatRequest(model: "gpt-4.1", messages: prompt)
                )
                admitted = stream.admission
                _ = stream.startingUpstream()
            }
            let entry = try #require(try await harness.waitForEntries(1).first)
            #expect(entry.outcome == "client_disconnected")
            #expect(entry.requestID == admitted.requestID)
            #expect(entry.usage.inputTokens == admitted.promptTokens)
            #expect(entry.usage.outputTokens == 0)
            #expect(try await harness.ledger.openReservations(teamID: nil).isEmpty)
        }
    }

    @Test("a started stream, then read, delivers and settles like one started by reading")
    func startedThenRead() async throws {
        try await MeteredHarness.run { harness async throws in
            let request = ChatRequest(model: "gpt-4.1", messages: prompt)
            let lazy = await collect(try await harness.client(usage: false).stream(teamID: harness.team.id, keyID: nil, request: request))
            let started = await collect(
                try await harness.client(usage: false).stream(teamID: harness.team.id, keyID: nil, request: request).startingUpstream()
            )
            #expect(started.error == nil)
            #expect(started.text == lazy.text)
            #expect(started.summary?.outcome == .completed)
            #expect(started.summary?.usage == lazy.summary?.usage)
            let entries = try await harness.waitForEntries(2)
            #expect(entries.map(\.outcome) == ["completed", "completed"])
        }
    }
}
