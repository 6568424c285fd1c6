import Foundation
import MetricsTestKit
import Testing
import TollgateCore
import TollgateRelaySim
import TollgateStreaming

@testable import TollgateMetering

@Suite("Metering metrics through swift-metrics")
struct MeteringMetricsTests {
    @Test("a handle is made once per metric and label values, and every use of it reaches the same metric")
    func handlesAreMadeOnce() {
        let test = TestMetrics()
        let metrics = MeteringMetrics(factory: test)
        let first = metrics.counter(.tokens, "research", "gpt-4.1", "input")
        #expect(metrics.counter(.tokens, "research", "gpt-4.1", "input") === first)
        #expect(metrics.counter(.tokens, "research", "gpt-4.1", "output") !== first)
        #expect(metrics.gauge(.budgetLimit, "research", "CNY") === metrics.gauge(.budgetLimit, "research", "CNY"))
        for _ in 0..<3 { metrics.counter(.tokens, "research", "gpt-4.1", "input").increment(by: 5) }
        metrics.counter(.tokens, "research", "gpt-4.1", "output").increment(by: 2)
        let labels = [("team", "research"), ("model", "gpt-4.1")]
        #expect(test.counterTotal(label: "tollgate_tokens_total", dimensions: labels + [("type", "input")]) == 15)
        #expect(test.counterTotal(label: "tollgate_tokens_total", dimensions: labels + [("type", "output")]) == 2)
    }

    @Test("a completed stream reports its admission, billed tokens, exact nano costs, settlement and timings")
    func completed() async throws {
        try await MeteredHarness.run { harness async throws in
            let test = TestMetrics()
            let stream = try await harness.client(metrics: MeteringMetrics(factory: test))
                .stream(teamID: harness.team.id, keyID: nil, request: ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 64))
            let hold = try #require(stream.admission.decision.hold)
            let summary = try #require(await collect(stream).summary)
            let team = ("team", "research")
            let model = ("model", "gpt-4.1")

            #expect(test.counterTotal(label: "tollgate_admissions_total", dimensions: [team, model, ("outcome", "admitted")]) == 1)
            #expect(test.counterTotal(label: "tollgate_settlements_total", dimensions: [team, model, ("outcome", "completed")]) == 1)
            #expect(
                test.counterTotal(label: "tollgate_tokens_total", dimensions: [team, model, ("type", "input")]) == Int64(summary.usage.inputTokens)
            )
            #expect(
                test.counterTotal(label: "tollgate_tokens_total", dimensions: [team, model, ("type", "output")]) == Int64(summary.usage.outputTokens)
            )
            #expect(test.counterTotal(label: "tollgate_cost_usd_nanos_total", dimensions: [team, model]) == summary.valuation.relayUSD.nanos)
            #expect(test.counterTotal(label: "tollgate_cost_cny_nanos_total", dimensions: [team, model]) == summary.valuation.paidCNY.nanos)
            #expect(test.counterTotal(label: "tollgate_baseline_cny_nanos_total", dimensions: [team, model]) == summary.valuation.baselineCNY.nanos)
            #expect(summary.valuation.paidCNY.nanos > 0)

            let budget = [team, ("currency", "CNY")]
            #expect(try test.expectGauge("tollgate_budget_limit_nanos", budget).lastValue == 10_000_000_000)
            #expect(try test.expectGauge("tollgate_budget_reserved_nanos", budget).lastValue == Double(hold.nanos))
            #expect(try test.expectGauge("tollgate_budget_remaining_nanos", budget).lastValue == 10_000_000_000)

            let genAI = [("gen_ai_operation_name", "chat"), ("gen_ai_request_model", "gpt-4.1")]
            let usage = try test.expectRecorder("gen_ai_client_token_usage", genAI + [("gen_ai_token_type", "output")])
            #expect(usage.values == [Double(summary.usage.outputTokens)])
            #expect(try test.expectTimer("gen_ai_client_operation_duration_seconds", genAI + [("error_type", "")]).values.count == 1)
            #expect(try test.expectTimer("gen_ai_client_operation_time_to_first_chunk_seconds", genAI).values.count == 1)
            // 32 simulated pieces: one first chunk, then 31 gaps between chunks.
            #expect(try test.expectTimer("gen_ai_client_operation_time_per_output_chunk_seconds", genAI).values.count == 31)
        }
    }

    @Test("a refused request counts as rejected and the budget gauges show the team's state")
    func rejected() async throws {
        try await MeteredHarness.run(budget: "0.0001") { harness async throws in
            let test = TestMetrics()
            await #expect(throws: MeteringError.self) {
                _ = try await harness.client(metrics: MeteringMetrics(factory: test))
                    .stream(teamID: harness.team.id, keyID: nil, request: ChatRequest(model: "gpt-4.1", messages: prompt))
            }
            #expect(
                test.counterTotal(
                    label: "tollgate_admissions_total",
                    dimensions: [("team", "research"), ("model", "gpt-4.1"), ("outcome", "rejected")]
                ) == 1
            )
            #expect(try test.expectGauge("tollgate_budget_limit_nanos", [("team", "research"), ("currency", "CNY")]).lastValue == 100_000)
            #expect(try test.expectGauge("tollgate_budget_reserved_nanos", [("team", "research"), ("currency", "CNY")]).lastValue == 0)
            #expect(test.counters(label: "tollgate_settlements_total").isEmpty)
        }
    }

    @Test("a disabled team's request counts as admission outcome team_disabled")
    func disabled() async throws {
        try await MeteredHarness.run { harness async throws in
            _ = try await harness.ledger.setDisabled(teamID: harness.team.id, true, at: Date())
            let test = TestMetrics()
            await #expect(throws: MeteringError.self) {
                _ = try await harness.client(metrics: MeteringMetrics(factory: test))
                    .stream(teamID: harness.team.id, keyID: nil, request: ChatRequest(model: "gpt-4.1", messages: prompt))
            }
            #expect(
                test.counterTotal(
                    label: "tollgate_admissions_total",
                    dimensions: [("team", "research"), ("model", "gpt-4.1"), ("outcome", "team_disabled")]
                ) == 1
            )
        }
    }

    @Test("a soft budget's cut counts a soft_overrun admission, a cutoff and a cut_off settlement")
    func cutoff() async throws {
        try await MeteredHarness.run(budget: "0.0003", policy: .soft, simulator: .init(outputTokens: 200)) { harness async throws in
            let test = TestMetrics()
            let result = await collect(
                try await harness.client(metrics: MeteringMetrics(factory: test))
                    .stream(teamID: harness.team.id, keyID: nil, request: ChatRequest(model: "gpt-4.1", messages: prompt))
            )
            #expect(result.cutoff != nil)
            let team = ("team", "research")
            let model = ("model", "gpt-4.1")
            #expect(test.counterTotal(label: "tollgate_admissions_total", dimensions: [team, model, ("outcome", "soft_overrun")]) == 1)
            #expect(test.counterTotal(label: "tollgate_cutoffs_total", dimensions: [team, model]) == 1)
            #expect(test.counterTotal(label: "tollgate_settlements_total", dimensions: [team, model, ("outcome", "cut_off")]) == 1)
        }
    }

    @Test("an upstream that drops mid-stream counts an upstream error by type and an errored operation")
    func upstreamError() async throws {
        try await MeteredHarness.run(simulator: .init(outputTokens: 100, faults: .init(dropAfterChunks: 4))) { harness async throws in
            let test = TestMetrics()
            let result = await collect(
                try await harness.client(usage: false, metrics: MeteringMetrics(factory: test))
                    .stream(teamID: harness.team.id, keyID: nil, request: ChatRequest(model: "gpt-4.1", messages: prompt))
            )
            #expect(result.error != nil)
            #expect(
                test.counterTotal(
                    label: "tollgate_upstream_errors_total",
                    dimensions: [("model", "gpt-4.1"), ("type", "upstream_closed_before_done")]
                ) == 1
            )
            #expect(
                test.counterTotal(
                    label: "tollgate_settlements_total",
                    dimensions: [("team", "research"), ("model", "gpt-4.1"), ("outcome", "upstream_error")]
                ) == 1
            )
            let errored = [("gen_ai_operation_name", "chat"), ("gen_ai_request_model", "gpt-4.1"), ("error_type", "upstream_error")]
            #expect(try test.expectTimer("gen_ai_client_operation_duration_seconds", errored).values.count == 1)
        }
    }

    @Test("the writer reports commit latency, batch size and open holds, with failures at zero from the start")
    func writer() async throws {
        let fixture = try await MeteringFixture()
        let test = TestMetrics()
        let writer = LedgerWriter(store: fixture.ledger, metrics: MeteringMetrics(factory: test))
        #expect(test.counterTotal(label: "tollgate_ledger_commit_failures_total") == 0)
        try await fixture.hold("a")
        try await fixture.hold("b")
        writer.track("a")
        writer.track("b")
        writer.recordProgress("a", outputTokens: 5)
        try await writer.flush()
        #expect(try test.expectGauge("tollgate_reservations_open").lastValue == 2)
        #expect(try test.expectTimer("tollgate_ledger_commit_duration_seconds").values.count == 1)
        // One progress record and two lease renewals.
        #expect(try test.expectRecorder("tollgate_ledger_commit_batch_size").values == [3])
    }

    @Test("a reclaimed hold counts as a reclaimed settlement with its tokens and nano costs")
    func reclaimed() async throws {
        let fixture = try await MeteringFixture()
        let past = Date().addingTimeInterval(-60)
        try await fixture.hold("dead", at: past, lease: 5)
        let test = TestMetrics()
        let entry = try #require(
            try await LeaseReclaimer(store: fixture.ledger, pricing: MeteringFixture.pricing, metrics: MeteringMetrics(factory: test)).reclaim().first
        )
        let labels = [("team", "t"), ("model", "deepseek-v3.2")]
        #expect(test.counterTotal(label: "tollgate_settlements_total", dimensions: labels + [("outcome", "reclaimed")]) == 1)
        #expect(test.counterTotal(label: "tollgate_tokens_total", dimensions: labels + [("type", "input")]) == 100)
        #expect(test.counterTotal(label: "tollgate_cost_usd_nanos_total", dimensions: labels) == entry.chargeUSD.nanos)
        #expect(test.counterTotal(label: "tollgate_cost_cny_nanos_total", dimensions: labels) == entry.chargeCNY.nanos)
    }

    @Test("team labels are bounded: names past the limit share _other; keys and prompts are never labels")
    func boundedTeams() {
        let metrics = MeteringMetrics(factory: TestMetrics(), maxTeamLabels: 2)
        #expect(metrics.teamLabel("a") == "a")
        #expect(metrics.teamLabel("b") == "b")
        #expect(metrics.teamLabel("c") == "_other")
        #expect(metrics.teamLabel("a") == "a")
        // Price and FX version ids are bounded too: one per price change, a handful a year.
        for entry in MetricCatalog.all {
            #expect(
                Set(entry.labels).isSubset(of: [
                    "team", "model", "type", "outcome", "currency", "protocol", "transport", "code", "error_type",
                    "gen_ai_operation_name", "gen_ai_request_model", "gen_ai_token_type",
                    "price_version", "fx_version",
                ]),
                "\(entry.name)"
            )
        }
    }
}
