import Foundation
import Testing
import TollgateCore
import TollgateDefaults
import TollgateRelaySim
import TollgateStreaming

@testable import TollgateMetering

@Suite("Hold extensions while metering")
struct HoldExtensionTests {
    static let models = (try? PricingTable.shipped().catalog.ids.map(\.rawValue)) ?? []

    @Test(
        "every priced model: max_tokens reached exactly or overshot by the upstream completes on a roomy budget",
        arguments: models,
        [0, 3, 12]
    )
    func noFalseCutoff(model: String, overshoot: Int) async throws {
        try await MeteredHarness.run(budget: "1000", simulator: .init(outputTokens: 400)) { harness async throws in
            for (maxTokens, usage) in [(16, true), (64, false)] {
                let client = harness.client(usage: usage, headers: [(SimulatorHeader.overshoot, String(overshoot))])
                let stream = try await client.stream(
                    teamID: harness.team.id,
                    keyID: nil,
                    request: ChatRequest(model: model, messages: prompt, maxTokens: maxTokens)
                )
                let result = await collect(stream)
                #expect(result.error == nil, "\(model) max_tokens \(maxTokens) overshoot \(overshoot): \(String(describing: result.error))")
                #expect(result.cutoff == nil, "\(model) max_tokens \(maxTokens) overshoot \(overshoot) was cut: \(result.cutoff?.message ?? "")")
                let summary = try #require(result.summary)
                #expect(summary.outcome == .completed)
                #expect(summary.finishReason == "length")
                #expect(result.sawDone)
            }
            #expect(try await harness.ledger.reserved(teamID: harness.team.id, currency: .cny) == .zero(.cny))
            #expect(try await harness.entries().allSatisfy { $0.outcome == "completed" })
        }
    }

    @Test("an output past the hold is delivered in full once the extension is granted, and the grant is counted")
    func extendsPastTheHold() async throws {
        try await MeteredHarness.run(budget: "1000", simulator: .init(outputTokens: 400)) { harness async throws in
            let client = harness.client(usage: false, headers: [(SimulatorHeader.overshoot, "40")])
            let stream = try await client.stream(
                teamID: harness.team.id,
                keyID: nil,
                request: ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 100)
            )
            let first = try #require(stream.admission.decision.hold)
            let result = await collect(stream)
            let summary = try #require(result.summary)
            #expect(summary.outcome == .completed)
            #expect(summary.localOutputTokens > 100)
            let counted = try Vocabularies.counter(forModel: "gpt-4.1").count(result.text)
            #expect(counted == summary.localOutputTokens)
            let hold = stream.session.hold.reservation
            #expect(hold.extensions >= 1)
            #expect(hold.held > first)
            #expect(summary.charge <= hold.held)
        }
    }

    @Test("a team that can't cover the next step is cut at the exact token its hold affords; spend stays within the budget")
    func cutWhenTheStepDoesNotFit() async throws {
        // The worst case of 64 output tokens fits; that plus a 64-token step does not.
        try await MeteredHarness.run(budget: "0.0008", currency: .usd, simulator: .init(outputTokens: 400)) { harness async throws in
            let client = harness.client(usage: false, headers: [(SimulatorHeader.overshoot, "20")])
            let stream = try await client.stream(
                teamID: harness.team.id,
                keyID: nil,
                request: ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 64)
            )
            let hold = try #require(stream.admission.decision.hold)
            let result = await collect(stream)
            let cutoff = try #require(result.cutoff)
            let summary = try #require(result.summary)
            #expect(summary.outcome == .cutOff)
            #expect(cutoff.allowedOutputTokens == 64)
            #expect(summary.localOutputTokens == 64)
            #expect(summary.charge <= hold)
            #expect(stream.session.hold.reservation.extensions == 0)
            let spent = try await harness.ledger.spend(teamID: harness.team.id, currency: .usd, in: harness.team.budget.window(at: Date()))
            #expect(spent <= harness.team.budget.limit)
            #expect(try await harness.ledger.reserved(teamID: harness.team.id, currency: .usd) == .zero(.usd))
        }
    }
}
