import Foundation
import Testing
import TollgateCore
import TollgateRelaySim
import TollgateStreaming

@testable import TollgateMetering

@Suite("Metered streams against the relay simulator")
struct MeteredStreamTests {
    @Test("a completed stream passes text through, settles once with versions, and leaves nothing reserved")
    func completed() async throws {
        try await MeteredHarness.run { harness async throws in
            let stream = try await harness.client().stream(
                teamID: harness.team.id,
                keyID: nil,
                request: ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 64)
            )
            #expect(stream.admission.decision.name == "admitted")
            #expect(stream.admission.priceVersion == "2025-10-01")
            let result = await collect(stream)
            #expect(result.error == nil)
            #expect(result.sawDone)
            let expected = SimulatedText.generate(model: "gpt-4.1", prompt: SimulatedText.promptText(prompt), seed: 0, pieceCount: 32).joined()
            #expect(result.text == expected)
            let summary = try #require(result.summary)
            #expect(summary.outcome == .completed)
            #expect(summary.tokenSource == .upstream)
            #expect(summary.localOutputTokens == (try Vocabularies.counter(forModel: "gpt-4.1").count(expected)))
            #expect(summary.usage.outputTokens == summary.localOutputTokens)
            let entries = try await harness.entries()
            #expect(entries.count == 1)
            #expect(entries.first?.requestID == stream.admission.requestID)
            #expect(entries.first?.priceVersion == "2025-10-01")
            #expect(entries.first?.fxVersion == "fx-2025-10-01")
            #expect(entries.first?.outcome == "completed")
            #expect(entries.first?.chargeCNY == summary.charge)
            #expect(try await harness.ledger.reserved(teamID: harness.team.id, currency: .cny) == .zero(.cny))
        }
    }

    @Test("once settled, the end is at hand: a consumer batching its writes sees it without waiting")
    func endIsReadyAfterSettlement() async throws {
        try await MeteredHarness.run { harness async throws in
            let stream = try await harness.client().stream(
                teamID: harness.team.id,
                keyID: nil,
                request: ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 64)
            )
            var events = stream.makeAsyncIterator()
            var settled = false
            var text = ""
            while let event = try await events.next() {
                if case .chat(.textDelta(let delta)) = event { text += delta }
                if case .settled = event {
                    settled = true
                    #expect(events.hasReadyEvent)
                }
            }
            #expect(settled)
            #expect(events.hasReadyEvent, "a finished stream's next() returns nil at once")
            #expect(text == SimulatedText.generate(model: "gpt-4.1", prompt: SimulatedText.promptText(prompt), seed: 0, pieceCount: 32).joined())
        }
    }

    @Test("without upstream usage the local tokenizer count is billed, marked as its source")
    func noUpstreamUsage() async throws {
        try await MeteredHarness.run { harness async throws in
            let stream = try await harness.client(usage: false).stream(
                teamID: harness.team.id,
                keyID: nil,
                request: ChatRequest(model: "deepseek-v3.2", messages: prompt)
            )
            let result = await collect(stream)
            let summary = try #require(result.summary)
            #expect(summary.tokenSource == .tokenizer)
            #expect(summary.usage.outputTokens == (try Vocabularies.counter(forModel: "deepseek-v3.2").count(result.text)))
            #expect(summary.usage.inputTokens == stream.admission.promptTokens)
        }
    }

    @Test("models without a public tokenizer are billed as estimates")
    func estimate() async throws {
        try await MeteredHarness.run { harness async throws in
            let result = await collect(
                try await harness.client(usage: false).stream(
                    teamID: harness.team.id,
                    keyID: nil,
                    request: ChatRequest(model: "claude-sonnet-4.5", messages: prompt)
                )
            )
            #expect(result.summary?.tokenSource == .estimate)
            #expect(try await harness.entries().first?.tokenSource == .estimate)
        }
    }

    @Test("a budget that can't hold the worst case refuses before any upstream call, saying what is left and when it resets")
    func rejected() async throws {
        try await MeteredHarness.run(budget: "0.0001") { harness async throws in
            let error = await #expect(throws: MeteringError.self) {
                try await harness.client().stream(
                    teamID: harness.team.id,
                    keyID: nil,
                    request: ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 1000)
                )
            }
            #expect(error?.code == .exhausted)
            #expect(error?.available?.decimalString == "0.0001")
            #expect(error?.resetsAt != nil)
            #expect(error?.message.contains("monthly budget of 0.0001 CNY") == true)
            #expect(try await harness.ledger.openReservations(teamID: nil).isEmpty)
            #expect(try await harness.entries().isEmpty)
        }
    }

    @Test("disabled teams and unknown models are refused with their own codes")
    func otherRefusals() async throws {
        try await MeteredHarness.run { harness async throws in
            let unknown = await #expect(throws: MeteringError.self) {
                try await harness.client().stream(teamID: harness.team.id, keyID: nil, request: ChatRequest(model: "gpt-5", messages: prompt))
            }
            #expect(unknown?.code.rawValue == "unknown_model")
            #expect(unknown?.message.contains("gpt-4.1") == true)
            _ = try await harness.ledger.setDisabled(teamID: harness.team.id, true, at: Date())
            let disabled = await #expect(throws: MeteringError.self) {
                try await harness.client().stream(teamID: harness.team.id, keyID: nil, request: ChatRequest(model: "gpt-4.1", messages: prompt))
            }
            #expect(disabled?.code == .teamDisabled)
        }
    }

    @Test("clamp lowers max_tokens to what the budget affords and never charges more than the hold")
    func clamp() async throws {
        // Prompt ≈ 30 tokens × $2/M; ¥0.0003 leaves room for ~30 output tokens at $8/M.
        try await MeteredHarness.run(budget: "0.0003", policy: .clamp, simulator: .init(outputTokens: 200)) { harness async throws in
            let stream = try await harness.client().stream(
                teamID: harness.team.id,
                keyID: nil,
                request: ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 500)
            )
            guard case .clamped(let hold, let tokens, let requested) = stream.admission.decision else {
                Issue.record("expected a clamp, got \(stream.admission.decision)")
                return
            }
            #expect(requested == 500)
            #expect(tokens < 500 && tokens >= 16)
            let result = await collect(stream)
            let summary = try #require(result.summary)
            #expect(summary.localOutputTokens <= tokens)
            #expect(summary.charge <= hold)
            #expect(
                try await harness.ledger.spend(teamID: harness.team.id, currency: .cny, in: harness.team.budget.window(at: Date()))
                    <= harness.team.budget.limit
            )
        }
    }

    @Test("soft admits past the budget and cuts at the exact token that uses up what was left")
    func softCutoff() async throws {
        try await MeteredHarness.run(budget: "0.0003", policy: .soft, simulator: .init(outputTokens: 200)) { harness async throws in
            let stream = try await harness.client(usage: false).stream(
                teamID: harness.team.id,
                keyID: nil,
                request: ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 500)
            )
            #expect(stream.admission.decision.name == "soft_overrun")
            let allowed = stream.admission.allowedOutputTokens
            let result = await collect(stream)
            let cutoff = try #require(result.cutoff)
            let summary = try #require(result.summary)
            #expect(summary.outcome == .cutOff)
            #expect(cutoff.allowedOutputTokens == allowed)
            let counted = try Vocabularies.counter(forModel: "gpt-4.1").count(result.text)
            #expect(counted == summary.localOutputTokens)
            #expect(counted <= allowed && counted >= allowed - 1)
            #expect(summary.charge <= harness.team.budget.limit)
            let entry = try #require(try await harness.entries().first)
            #expect(entry.outcome == "cut_off")
            #expect(entry.admission == "soft_overrun")
            #expect(try await harness.ledger.reserved(teamID: harness.team.id, currency: .cny) == .zero(.cny))
        }
    }

    @Test("a cutoff on an estimated model never bills past what the budget affords")
    func estimatedCutoff() async throws {
        try await MeteredHarness.run(budget: "0.0006", policy: .soft, simulator: .init(outputTokens: 300)) { harness async throws in
            let stream = try await harness.client(usage: false).stream(
                teamID: harness.team.id,
                keyID: nil,
                request: ChatRequest(model: "claude-sonnet-4.5", messages: prompt, maxTokens: 1000)
            )
            let allowed = stream.admission.allowedOutputTokens
            let result = await collect(stream)
            let summary = try #require(result.summary)
            #expect(summary.outcome == .cutOff)
            #expect(summary.tokenSource == .estimate)
            #expect(summary.localOutputTokens <= allowed)
            #expect(summary.localOutputTokens == (try Vocabularies.counter(forModel: "claude-sonnet-4.5").count(result.text)))
            #expect(summary.charge <= harness.team.budget.limit)
        }
    }
}
