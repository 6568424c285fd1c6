import Foundation
import Testing
import TollgateCore

@testable import TollgateLedger
@testable import TollgateLedgerPostgres
@testable import TollgateStorage

/// The totals a copy is checked against sum the token parts too, so a copy that dropped one fails.
@Suite("Ledger totals sum cached, cache-write and reasoning tokens, on each engine")
struct LedgerTotalsPartsTests {
    @Test("each part is summed per team, as the entries hold it", arguments: Engine.available)
    func parts(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("100"), at: Fixtures.now)
        var entry = try CacheWriteEntryTests.entry(team: team.id, index: 0)
        entry.usage = entry.usage.withReasoning(40)
        try await store.append([entry, try Fixtures.usage(team: team.id)])
        let totals: LedgerTotals
        if let sqlite = store as? SQLiteLedger {
            totals = try await sqlite.ledgerTotals()
        } else {
            let postgres = try #require(store as? PostgresLedger)
            totals = try await postgres.ledgerTotals()
        }
        let sums = try #require(totals.byTeam[team.id])
        #expect(sums.entries == 2 && sums.inputTokens == 11_000 && sums.outputTokens == 1_000)
        #expect(sums.cachedInputTokens == 2_000 && sums.cacheWrite5mTokens == 3_000 && sums.cacheWrite1hTokens == 4_000 && sums.reasoningTokens == 40)
    }
}
