import Foundation
import Testing
import TollgateCore

@testable import TollgateStorage

@Suite("Cache-write tokens on ledger entries, on each engine")
struct CacheWriteEntryTests {
    /// A claude-sonnet-4.5 entry with every prompt part, priced by the shipped-style fixture table.
    static func entry(team: Int64, index: Int) throws -> LedgerEntry {
        let usage = try TokenUsage(
            inputTokens: 10_000 + index,
            cachedInputTokens: 2_000,
            cacheWrite5mTokens: 3_000 + index,
            cacheWrite1hTokens: 4_000,
            outputTokens: 500
        )
        let model: ModelID = "claude-sonnet-4.5"
        return .usage(
            teamID: team,
            requestID: "cw-\(index)",
            model: model,
            usage: usage,
            valuation: try Fixtures.pricing.valuation(of: usage, model: model, at: Fixtures.now),
            tokenSource: .upstream,
            outcome: "completed",
            occurredAt: Fixtures.now,
            recordedAt: Fixtures.now,
            localInputTokens: 9_000,
            localOutputTokens: 490
        )
    }

    @Test("cache-write counts round-trip through single and multi-row inserts, charges exact", arguments: Engine.available)
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
        let first = try #require(stored.first { $0.requestID == "cw-0" })
        #expect(first.usage.cacheWrite5mTokens == 3_000 && first.usage.cacheWrite1hTokens == 4_000)
        let spent = try await store.spend(teamID: team.id, currency: .usd, in: PeriodWindow(start: .distantPast, end: nil))
        #expect(spent.nanos == entries.reduce(0) { $0 + $1.chargeUSD.nanos })
    }

    @Test("entries written without cache writes read back zero", arguments: Engine.available)
    func plainEntries(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        try await store.append([try Fixtures.usage(team: team.id, requestID: "plain")])
        let stored = try #require(try await store.entries(teamID: team.id, from: nil, to: nil, limit: 10).first)
        #expect(stored.usage.cacheWrite5mTokens == 0 && stored.usage.cacheWrite1hTokens == 0)
    }
}
