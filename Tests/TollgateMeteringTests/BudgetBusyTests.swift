import Foundation
import Testing
import TollgateCore
import TollgateStorage
import TollgateStreaming

@testable import TollgateMetering

@Suite("Refusals that tell the truth: budget_busy vs budget_exceeded")
struct BudgetBusyTests {
    static let request = ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 1000)

    /// Holds `amount` for another stream, as one in flight would.
    static func holdElsewhere(_ harness: MeteredHarness, _ id: String, amount: String) async throws {
        let draft = ReservationDraft(
            id: id,
            teamID: harness.team.id,
            keyID: nil,
            model: "gpt-4.1",
            priceVersion: "2025-10-01",
            fxVersion: "fx-2025-10-01",
            prompt: try TokenUsage(inputTokens: 10, outputTokens: 0),
            tokenSource: .tokenizer,
            occurredAt: Date(),
            leaseExpiresAt: Date().addingTimeInterval(60)
        )
        let hold = try Money(parsing: amount, .cny)
        _ = try await harness.ledger.reserve(draft) { _, _ in .admitted(hold: hold, maxOutputTokens: 1000) }
    }

    static func client(_ harness: MeteredHarness, wait: Duration) -> MeteredClient {
        let base = harness.client()
        return MeteredClient(
            store: base.store,
            pricing: base.pricing,
            tokenizers: base.tokenizers,
            upstream: base.upstream,
            writer: base.writer,
            settings: MeteringSettings(admissionWait: wait)
        )
    }

    @Test("unspent money held by a stream in flight: after the wait, budget_busy with the amount held and the streams holding it")
    func busyAfterWait() async throws {
        try await MeteredHarness.run(budget: "1") { harness async throws in
            try await Self.holdElsewhere(harness, "other", amount: "0.995")
            let error = await #expect(throws: MeteringError.self) {
                _ = try await Self.client(harness, wait: .milliseconds(150)).stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            }
            #expect(error?.code == .busy)
            #expect(error?.held == (try Money(parsing: "0.995", .cny)))
            #expect(error?.holdingStreams == 1)
            #expect(error?.available == (try Money(parsing: "0.005", .cny)))
            #expect(error?.retryAfterSeconds == 1)
            #expect(error?.message.contains("held by 1 stream(s) in flight") == true)
            #expect(try await harness.ledger.openReservations(teamID: harness.team.id).map(\.draft.id) == ["other"])
        }
    }

    @Test("a hold released during the wait lets the request in")
    func admittedAfterRelease() async throws {
        try await MeteredHarness.run(budget: "1") { harness async throws in
            try await Self.holdElsewhere(harness, "other", amount: "0.995")
            let ledger = harness.ledger
            let release = Task {
                try await Task.sleep(for: .milliseconds(100))
                var batch = LedgerCommit(leaseExpiresAt: Date().addingTimeInterval(60))
                batch.releases = ["other"]
                _ = try await ledger.commit(batch)
            }
            let stream = try await Self.client(harness, wait: .seconds(5)).stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            try await release.value
            #expect(stream.admission.decision.name == "admitted")
            let result = await collect(stream)
            #expect(result.summary?.outcome == .completed)
        }
    }

    @Test("a budget really spent is budget_exceeded at once, holds or not; waiting could not help")
    func exceededWhenSpent() async throws {
        try await MeteredHarness.run(budget: "0.005") { harness async throws in
            try await Self.holdElsewhere(harness, "other", amount: "0.001")
            let error = await #expect(throws: MeteringError.self) {
                _ = try await Self.client(harness, wait: .seconds(10)).stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            }
            #expect(error?.code == .exhausted)
            #expect(error?.held == nil)
        }
    }
}
