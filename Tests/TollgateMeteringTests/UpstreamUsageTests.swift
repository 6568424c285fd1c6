import Foundation
import MetricsTestKit
import Testing
import TollgateCore
import TollgateRelaySim
import TollgateStorage
import TollgateStreaming

@testable import TollgateMetering

@Suite("Upstream usage is untrusted: the rule")
struct UpstreamUsageRuleTests {
    let local = try! TokenUsage(inputTokens: 100, outputTokens: 200)

    func billed(_ upstream: UpstreamUsage?, source: TokenSource = .tokenizer) -> (usage: TokenUsage, source: TokenSource, check: UsageCheck?) {
        UpstreamUsageRule.billed(upstream: upstream, local: local, localSource: source)
    }

    @Test("no report bills the local count unmarked")
    func noReport() {
        let result = billed(nil)
        #expect(result.usage == local && result.source == .tokenizer && result.check == nil)
    }

    @Test(
        "negative, absurd and non-integer reports bill the local count, marked invalid",
        arguments: [
            UpstreamUsage(inputTokens: 100, outputTokens: -5),
            UpstreamUsage(inputTokens: -1, outputTokens: 200),
            UpstreamUsage(inputTokens: 100, outputTokens: 1 << 62),
            UpstreamUsage(inputTokens: 100, outputTokens: 200, cachedInputTokens: -3),
            UpstreamUsage(inputTokens: 0, outputTokens: 0, isWholeNumbers: false),
        ]
    )
    func invalid(upstream: UpstreamUsage) {
        let result = billed(upstream)
        #expect(result.usage == local)
        #expect(result.source == .tokenizer)
        #expect(result.check == .invalid)
    }

    @Test("a report short of the delivered output by more than 10 % and 16 tokens bills the local count")
    func underReported() {
        #expect(billed(UpstreamUsage(inputTokens: 100, outputTokens: 0)).check == .underReported)
        #expect(billed(UpstreamUsage(inputTokens: 100, outputTokens: 179)).check == .underReported)
        // Within tolerance: 20 short is 10 % exactly; and 16 short of a small count is within the token slack.
        #expect(billed(UpstreamUsage(inputTokens: 100, outputTokens: 180)).check == nil)
        let small = UpstreamUsageRule.billed(
            upstream: UpstreamUsage(inputTokens: 10, outputTokens: 4),
            local: try! TokenUsage(inputTokens: 10, outputTokens: 20),
            localSource: .tokenizer
        )
        #expect(small.check == nil && small.source == .upstream)
    }

    @Test("a short prompt count is judged only against an exact local count, not an estimate")
    func promptShortfall() {
        #expect(billed(UpstreamUsage(inputTokens: 10, outputTokens: 200)).check == .underReported)
        let estimated = billed(UpstreamUsage(inputTokens: 10, outputTokens: 200), source: .estimate)
        #expect(estimated.check == nil && estimated.usage.inputTokens == 10)
    }

    @Test("a plausible report is billed as sent, even above the local count")
    func plausible() {
        let result = billed(UpstreamUsage(inputTokens: 120, outputTokens: 5_000, cachedInputTokens: 500))
        #expect(result.source == .upstream && result.check == nil)
        #expect(result.usage.outputTokens == 5_000)
        #expect(result.usage.cachedInputTokens == 120)
    }
}

@Suite("Upstream usage is untrusted: settlement")
struct UpstreamUsageSettlementTests {
    func stream(_ harness: MeteredHarness, reporting: String, maxTokens: Int = 64) async throws -> MeteredCollection {
        let client = harness.client(headers: [(SimulatorHeader.reportUsage, reporting)])
        return await collect(
            try await client.stream(
                teamID: harness.team.id,
                keyID: nil,
                request: ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: maxTokens)
            )
        )
    }

    @Test(
        "completion_tokens 2^62 and -5 settle on the local count, marked invalid; the hold is gone and the next stream works",
        arguments: [",4611686018427387904", ",-5", "-1,"]
    )
    func invalidReports(reporting: String) async throws {
        try await MeteredHarness.run { harness async throws in
            let result = try await stream(harness, reporting: reporting)
            #expect(result.error == nil)
            let summary = try #require(result.summary)
            #expect(summary.usageCheck == .invalid)
            #expect(summary.tokenSource == .tokenizer)
            #expect(summary.usage.outputTokens == summary.localOutputTokens)
            let entry = try #require(try await harness.entries().first)
            #expect(entry.usageCheck == .invalid)
            #expect(entry.overrunNanos == nil)
            #expect(try await harness.ledger.reserved(teamID: harness.team.id, currency: .cny) == .zero(.cny))
            #expect(try await harness.ledger.openReservations(teamID: nil).isEmpty)
            let next = await collect(
                try await harness.client().stream(
                    teamID: harness.team.id,
                    keyID: nil,
                    request: ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 64)
                )
            )
            #expect(next.summary?.usageCheck == nil)
            #expect(next.summary?.tokenSource == .upstream)
        }
    }

    @Test("completion_tokens 0 for delivered text bills the local count, marked under-reported")
    func underReported() async throws {
        try await MeteredHarness.run { harness async throws in
            let summary = try #require(try await stream(harness, reporting: ",0").summary)
            #expect(summary.localOutputTokens == 32)
            #expect(summary.usage.outputTokens == 32)
            #expect(summary.usageCheck == .underReported)
            #expect(try await harness.entries().first?.usageCheck == .underReported)
        }
    }

    @Test("usage above the hold is billed as reported, the overrun recorded, counted, and the team refused while over budget")
    func overrun() async throws {
        // The hold is the worst case of 64 output tokens (well under ¥0.01); 2,000,000 reported
        // output tokens of gpt-4.1 cost $16, far past it and past the ¥10 budget.
        try await MeteredHarness.run(budget: "10") { harness async throws in
            let metrics = TestMetrics()
            let client = harness.client(headers: [(SimulatorHeader.reportUsage, ",2000000")], metrics: MeteringMetrics(factory: metrics))
            let result = await collect(
                try await client.stream(teamID: harness.team.id, keyID: nil, request: ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 64))
            )
            let summary = try #require(result.summary)
            #expect(summary.usageCheck == .overrun)
            #expect(summary.tokenSource == .upstream)
            #expect(summary.usage.outputTokens == 2_000_000)
            let held = try #require(summary.admission.hold)
            #expect(summary.overrun == summary.charge - held)
            let entry = try #require(try await harness.entries().first)
            #expect(entry.usageCheck == .overrun)
            #expect(entry.overrunNanos == (summary.charge - held).nanos)
            #expect(entry.chargeCNY == summary.charge)
            let month = (Date(timeIntervalSinceNow: -3600), Date(timeIntervalSinceNow: 3600))
            #expect(try await harness.ledger.checkedEntries(from: month.0, to: month.1, limit: 10).map(\.usageCheck) == [.overrun])
            #expect(
                metrics.counterTotal(
                    label: "tollgate_upstream_usage_checks_total",
                    dimensions: [("team", "research"), ("model", "gpt-4.1"), ("outcome", "overrun")]
                ) == 1
            )
            let spent = try await harness.ledger.spend(teamID: harness.team.id, currency: .cny, in: harness.team.budget.window(at: Date()))
            #expect(spent > harness.team.budget.limit)
            await #expect(throws: MeteringError.self) {
                _ = try await harness.client().stream(
                    teamID: harness.team.id,
                    keyID: nil,
                    request: ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 1)
                )
            }
        }
    }
}
