import Foundation
import Synchronization
import Testing
import TollgateCore
import TollgateRelaySim
import TollgateStorage
import TollgateStreaming

@testable import TollgateMetering

@Suite("Expected holds while metering")
struct ExpectedHoldTests {
    static let request = ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 1000)

    /// Appends completed gpt-4.1 streams of the team with these output counts, newest first, as
    /// earlier traffic would have left them.
    static func seed(_ harness: MeteredHarness, outputs: [Int]) async throws {
        let now = Date()
        let entries = try outputs.enumerated().map { index, output in
            let usage = try TokenUsage(inputTokens: 20, outputTokens: output)
            return LedgerEntry.usage(
                teamID: harness.team.id,
                requestID: "seed-\(index)",
                model: "gpt-4.1",
                usage: usage,
                valuation: try harness.pricing.valuation(of: usage, model: "gpt-4.1", at: now),
                tokenSource: .tokenizer,
                outcome: "completed",
                occurredAt: now.addingTimeInterval(-Double(index) - 1),
                recordedAt: now
            )
        }
        try await harness.ledger.append(entries)
    }

    /// Sets the team's hold policy, and optionally its limit to what it has spent plus `headroom`.
    @discardableResult
    static func set(_ harness: MeteredHarness, hold: HoldPolicy, headroom: String? = nil) async throws -> Team {
        var budget = try await harness.ledger.team(id: harness.team.id).budget
        budget.hold = hold
        if let headroom {
            let spent = try await harness.ledger.spend(teamID: harness.team.id, currency: budget.limit.currency, in: budget.window(at: Date()))
            budget.limit = spent + (try Money(parsing: headroom, budget.limit.currency))
        }
        return try await harness.ledger.updateBudget(teamID: harness.team.id, budget: budget, at: Date())
    }

    @Test("an expected hold is prompt + the team's p95; max_tokens still goes upstream; a longer answer is extended, not cut")
    func longAnswerExtended() async throws {
        try await MeteredHarness.run(budget: "1000", simulator: .init(outputTokens: 600)) { harness async throws in
            try await Self.seed(harness, outputs: Array(repeating: 100, count: 40))
            try await Self.set(harness, hold: .expected)
            let stream = try await harness.client(usage: false).stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            #expect(stream.admission.allowedOutputTokens == ExpectedOutput.floorTokens)
            #expect(stream.admission.decision.maxOutputTokens == 1000)
            let first = try #require(stream.admission.decision.hold)
            let result = await collect(stream)
            #expect(result.error == nil)
            #expect(result.cutoff == nil)
            let summary = try #require(result.summary)
            #expect(summary.outcome == .completed)
            #expect(summary.localOutputTokens == 600)
            let hold = stream.session.hold.reservation
            #expect(hold.extensions >= 2)
            #expect(hold.held > first)
            #expect(summary.charge <= hold.held)
            #expect(try await harness.ledger.reserved(teamID: harness.team.id, currency: .cny) == .zero(.cny))
        }
    }

    @Test("the hold is the p95 of the newest samples, capped by max_tokens")
    func sizedByP95() async throws {
        try await MeteredHarness.run(budget: "1000") { harness async throws in
            // p95 of 1…100 × 5 is 475.
            try await Self.seed(harness, outputs: (1...100).map { $0 * 5 })
            try await Self.set(harness, hold: .expected)
            let client = harness.client()
            let sized = try await client.stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            #expect(sized.admission.allowedOutputTokens == 475)
            _ = await collect(sized)
            let capped = try await client.stream(
                teamID: harness.team.id,
                keyID: nil,
                request: ChatRequest(model: "gpt-4.1", messages: prompt, maxTokens: 300)
            )
            #expect(capped.admission.allowedOutputTokens == 300)
            #expect(capped.admission.decision.maxOutputTokens == 300)
            _ = await collect(capped)
        }
    }

    @Test("fewer than 20 samples, or the worst-case policy, hold max_tokens")
    func worstCaseFallbacks() async throws {
        try await MeteredHarness.run(budget: "1000") { harness async throws in
            try await Self.seed(harness, outputs: Array(repeating: 100, count: 19))
            try await Self.set(harness, hold: .expected)
            let few = try await harness.client().stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            #expect(few.admission.allowedOutputTokens == 1000)
            _ = await collect(few)
        }
        try await MeteredHarness.run(budget: "1000") { harness async throws in
            try await Self.seed(harness, outputs: Array(repeating: 100, count: 40))
            let worst = try await harness.client().stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            #expect(worst.admission.allowedOutputTokens == 1000)
            _ = await collect(worst)
        }
    }

    @Test("this process's completed settlements are samples: the 21st stream of a fresh team is held at the p95")
    func samplesFromSettlements() async throws {
        try await MeteredHarness.run(budget: "1000") { harness async throws in
            try await Self.set(harness, hold: .expected)
            let client = harness.client()
            for index in 0..<20 {
                let stream = try await client.stream(teamID: harness.team.id, keyID: nil, request: Self.request)
                #expect(stream.admission.allowedOutputTokens == 1000, "stream \(index)")
                #expect(await collect(stream).summary?.outcome == .completed)
            }
            let sampled = try await client.stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            #expect(sampled.admission.allowedOutputTokens == ExpectedOutput.floorTokens)
            _ = await collect(sampled)
        }
    }

    @Test("a team switched to expected while this process knew it as worst-case is sampled from its next admission on")
    func policyChange() async throws {
        try await MeteredHarness.run(budget: "1000") { harness async throws in
            try await Self.seed(harness, outputs: Array(repeating: 100, count: 40))
            let client = harness.client()
            let before = try await client.stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            #expect(before.admission.allowedOutputTokens == 1000)
            _ = await collect(before)
            try await Self.set(harness, hold: .expected)
            // The admission that first sees the change holds the worst case; the samples load for the next.
            let seeing = try await client.stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            _ = await collect(seeing)
            let after = try await client.stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            #expect(after.admission.allowedOutputTokens == ExpectedOutput.floorTokens)
            _ = await collect(after)
        }
    }

    @Test("another replica's settlements are folded in by the reload a minute later; until then the cached samples serve")
    func reloadAfterAMinute() async throws {
        try await MeteredHarness.run(budget: "1000") { harness async throws in
            try await Self.seed(harness, outputs: Array(repeating: 100, count: 40))
            try await Self.set(harness, hold: .expected)
            let now = Mutex(Date())
            let base = harness.client()
            let client = MeteredClient(
                store: base.store,
                pricing: base.pricing,
                tokenizers: base.tokenizers,
                upstream: base.upstream,
                writer: base.writer,
                clock: { now.withLock { $0 } }
            )
            let first = try await client.stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            #expect(first.admission.allowedOutputTokens == 256)
            _ = await collect(first)
            // Another replica settles 40 long answers, newer than everything here.
            let later = Date().addingTimeInterval(5)
            let usage = try TokenUsage(inputTokens: 20, outputTokens: 900)
            try await harness.ledger.append(
                try (0..<40).map { index in
                    .usage(
                        teamID: harness.team.id,
                        requestID: "replica-\(index)",
                        model: "gpt-4.1",
                        usage: usage,
                        valuation: try harness.pricing.valuation(of: usage, model: "gpt-4.1", at: later),
                        tokenSource: .tokenizer,
                        outcome: "completed",
                        occurredAt: later.addingTimeInterval(Double(index)),
                        recordedAt: later
                    )
                }
            )
            let cached = try await client.stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            #expect(cached.admission.allowedOutputTokens == 256)
            _ = await collect(cached)
            now.withLock { $0 = $0.addingTimeInterval(OutputHistory.refreshInterval + 1) }
            // This admission starts the reload and is served the samples it had.
            let stale = try await client.stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            #expect(stale.admission.allowedOutputTokens == 256)
            _ = await collect(stale)
            var reloaded = 0
            for _ in 0..<50 where reloaded != 900 {
                try await Task.sleep(for: .milliseconds(20))
                let stream = try await client.stream(teamID: harness.team.id, keyID: nil, request: Self.request)
                reloaded = stream.admission.allowedOutputTokens
                _ = await collect(stream)
            }
            #expect(reloaded == 900)
        }
    }

    @Test("the trade: under expected, a stream that outgrows its hold when the team can't cover the next step is cut; spend stays within the budget")
    func cutWhenMoneyRunsOut() async throws {
        try await MeteredHarness.run(budget: "1000", currency: .usd, simulator: .init(outputTokens: 600)) { harness async throws in
            try await Self.seed(harness, outputs: Array(repeating: 100, count: 40))
            // Covers the prompt + 256 expected tokens ($0.002048 of output) but not another 64-token step ($0.000512).
            let team = try await Self.set(harness, hold: .expected, headroom: "0.0024")
            let stream = try await harness.client(usage: false).stream(teamID: harness.team.id, keyID: nil, request: Self.request)
            #expect(stream.admission.allowedOutputTokens == 256)
            let result = await collect(stream)
            let summary = try #require(result.summary)
            #expect(summary.outcome == .cutOff)
            #expect(try #require(result.cutoff).allowedOutputTokens == 256)
            #expect(summary.localOutputTokens == 256)
            let spent = try await harness.ledger.spend(teamID: team.id, currency: .usd, in: team.budget.window(at: Date()))
            #expect(spent <= team.budget.limit)
            #expect(try await harness.ledger.reserved(teamID: team.id, currency: .usd) == .zero(.usd))
        }
    }

    /// What one burst did: refusals, completions, the most spend + holds ever seen, the end state.
    struct BurstResult {
        var refused = 0
        var completed = 0
        var peak = Money.zero(.usd)
        var spent = Money.zero(.usd)
        var limit = Money.zero(.usd)
        var seconds = 0.0
    }

    /// 300 concurrent max_tokens 1000 streams with 40-token answers on $1, refused at once when they
    /// don't fit (no admission wait), while a watcher reads spend then holds every few milliseconds.
    static func burst(_ hold: HoldPolicy) async throws -> BurstResult {
        let simulator = RelaySimulatorConfiguration(timeToFirstToken: .milliseconds(400), outputTokens: 40)
        return try await MeteredHarness.run(budget: "1000", currency: .usd, simulator: simulator) { harness async throws in
            try await Self.seed(harness, outputs: Array(repeating: 40, count: 40))
            let team = try await Self.set(harness, hold: hold, headroom: "1")
            let base = harness.client(usage: false)
            let client = MeteredClient(
                store: base.store,
                pricing: base.pricing,
                tokenizers: base.tokenizers,
                upstream: base.upstream,
                writer: base.writer,
                settings: MeteringSettings(admissionWait: .zero)
            )
            let ledger = harness.ledger
            let window = team.budget.window(at: Date())
            let running = Atomic(true)
            // Spend first, then holds: a settlement between the reads can only lower the sum, so a sum
            // over the limit is a real breach.
            let watcher = Task {
                var peak = Money.zero(.usd)
                while running.load(ordering: .relaxed) {
                    let spent = try await ledger.spend(teamID: team.id, currency: .usd, in: window)
                    let held = try await ledger.reserved(teamID: team.id, currency: .usd)
                    peak = max(peak, spent + held)
                    try await Task.sleep(for: .milliseconds(3))
                }
                return peak
            }
            let started = ContinuousClock.now
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<300 {
                    group.addTask {
                        do {
                            let stream = try await client.stream(teamID: team.id, keyID: nil, request: Self.request)
                            return await collect(stream).summary?.outcome.rawValue ?? "error"
                        } catch let error as MeteringError {
                            return error.code == .exhausted || error.code == .busy ? "refused" : "error"
                        } catch {
                            return "error"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            let elapsed = ContinuousClock.now - started
            running.store(false, ordering: .relaxed)
            var result = BurstResult(limit: team.budget.limit)
            result.peak = try await watcher.value
            result.refused = outcomes.filter { $0 == "refused" }.count
            result.completed = outcomes.filter { $0 == StreamOutcome.completed.rawValue }.count
            result.spent = try await ledger.spend(teamID: team.id, currency: .usd, in: window)
            result.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            #expect(outcomes.allSatisfy { $0 == "refused" || $0 == StreamOutcome.completed.rawValue }, "\(Set(outcomes))")
            #expect(try await ledger.reserved(teamID: team.id, currency: .usd) == .zero(.usd))
            return result
        }
    }

    @Test(
        "the burst: 300 concurrent max_tokens 1000 streams on $1 — expected admits them all where worst-case refuses most; spend + holds ≤ budget throughout"
    )
    func burst() async throws {
        let worst = try await Self.burst(.worstCase)
        let expected = try await Self.burst(.expected)
        print(
            "burst, no admission wait: worst-case \(worst.completed) completed, \(worst.refused) refused in \(worst.seconds) s; "
                + "expected \(expected.completed) completed, \(expected.refused) refused in \(expected.seconds) s"
        )
        for result in [worst, expected] {
            #expect(result.peak <= result.limit, "spend + holds reached \(result.peak.decimalString) of \(result.limit.decimalString)")
            #expect(result.spent <= result.limit)
            #expect(result.completed + result.refused == 300)
        }
        // A worst case of ~$0.008 fits ~120 at once; an expected hold of 256 tokens (~$0.0021) fits them all.
        #expect(worst.refused >= 100)
        #expect(expected.refused == 0)
        #expect(expected.completed == 300)
    }
}
