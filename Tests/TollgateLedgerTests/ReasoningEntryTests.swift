import Foundation
import Testing
import TollgateCore
import TollgateStorage

@testable import TollgateLedger

@Suite("Reasoning tokens on ledger entries and in the rollup, on each engine")
struct ReasoningEntryTests {
    /// A deepseek-v3.2 entry whose output is partly reasoning (every third entry has none).
    static func entry(team: Int64, index: Int) throws -> LedgerEntry {
        let output = 200 + index
        let usage = try TokenUsage(inputTokens: 18, outputTokens: output, reasoningTokens: index % 3 == 0 ? 0 : 150 + index)
        let model: ModelID = "deepseek-v3.2"
        let instant = Fixtures.now.addingTimeInterval(Double(index) * 600)
        return .usage(
            teamID: team,
            requestID: "r-\(index)",
            model: model,
            usage: usage,
            valuation: try Fixtures.pricing.valuation(of: usage, model: model, at: instant),
            tokenSource: .upstream,
            outcome: "completed",
            occurredAt: instant,
            recordedAt: instant,
            localInputTokens: 17,
            localOutputTokens: output - 2
        )
    }

    @Test("reasoning counts round-trip through single and multi-row inserts; charges are the output's, unchanged", arguments: Engine.available)
    func roundTrip(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        // 145 rows: one 128-row block, one 16-row block and a single row on SQLite.
        let entries = try (0..<145).map { try Self.entry(team: team.id, index: $0) }
        try await store.append(entries)
        let stored = try await store.entries(teamID: team.id, from: nil, to: nil, limit: 1_000)
        #expect(stored.count == 145)
        for (original, read) in zip(entries, stored.sorted { $0.id! < $1.id! }) {
            var read = read
            read.id = nil
            #expect(read == original)
        }
        let second = try #require(stored.first { $0.requestID == "r-1" })
        #expect(second.usage.reasoningTokens == 151 && second.usage.outputTokens == 201)
        // Reasoning is output and priced as output: the same usage without the split costs the same.
        let plain = try TokenUsage(inputTokens: 18, outputTokens: 201)
        #expect(try Fixtures.pricing.valuation(of: plain, model: "deepseek-v3.2", at: second.occurredAt).relayUSD == second.chargeUSD)
    }

    @Test("the rollup sums reasoning tokens, equal to the raw entries, and reports read them back", arguments: Engine.available)
    func rollup(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let team = try await fixture.store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now).id
        let entries = try (0..<60).map { try Self.entry(team: team, index: $0) } + [try Fixtures.usage(team: team, requestID: "plain")]
        try await fixture.store.append(Array(entries.prefix(25)))
        try await fixture.store.append(Array(entries.dropFirst(25)))
        let check = try await fixture.store.verifyRollup(from: nil, to: nil)
        #expect(check.matches, "\(check.mismatches)")
        let window = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 4_000_000_000)]
        let sums = try await fixture.store.usageSums(across: window, teamID: nil)
        #expect(UsageRollupTests.keyed(sums) == UsageRollupTests.expected(entries, boundaries: window, team: nil))
        let total = sums.reduce(into: UsageTotals()) { $0 += $1.totals }
        #expect(total.reasoningTokens == Int64(entries.reduce(0) { $0 + $1.usage.reasoningTokens }))
        #expect(total.reasoningTokens > 0)
    }

    @Test("entries written without a reasoning split read back zero", arguments: Engine.available)
    func plainEntries(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        try await store.append([try Fixtures.usage(team: team.id, requestID: "plain")])
        let stored = try #require(try await store.entries(teamID: team.id, from: nil, to: nil, limit: 10).first)
        #expect(stored.usage.reasoningTokens == 0)
    }
}
