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
        let usage = try TokenUsage(
            inputTokens: 1000,
            cachedInputTokens: 100,
            cacheWrite5mTokens: 200,
            cacheWrite1hTokens: 300,
            outputTokens: 50,
            reasoningTokens: 40
        )
        let model: ModelID = "claude-sonnet-4.5"
        let entry = LedgerEntry.usage(
            teamID: team.id,
            requestID: "r",
            model: model,
            usage: usage,
            valuation: try Fixtures.pricing.valuation(of: usage, model: model, at: Fixtures.now),
            tokenSource: .upstream,
            outcome: "completed",
            occurredAt: Fixtures.now,
            recordedAt: Fixtures.now
        )
        try await store.append([entry, try Fixtures.usage(team: team.id)])
        let totals: LedgerTotals
        if let sqlite = store as? SQLiteLedger {
            totals = try await sqlite.ledgerTotals()
        } else {
            let postgres = try #require(store as? PostgresLedger)
            totals = try await postgres.ledgerTotals()
        }
        let sums = try #require(totals.byTeam[team.id])
        #expect(sums.entries == 2 && sums.inputTokens == 2000 && sums.outputTokens == 550)
        #expect(sums.cachedInputTokens == 100 && sums.cacheWrite5mTokens == 200 && sums.cacheWrite1hTokens == 300 && sums.reasoningTokens == 40)
    }
}
