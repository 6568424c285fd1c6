import Foundation
import GRDB
import Testing
import TollgateCore

@testable import TollgateLedger
@testable import TollgateStorage

@Suite("Budget counters")
struct BudgetCounterTests {
    func directSum(_ store: any LedgerStore, team: Int64, window: PeriodWindow) async throws -> Int64 {
        try await store.entries(teamID: team, from: nil, to: nil, limit: 1_000_000)
            .filter { window.contains($0.occurredAt) }.reduce(0) { $0 + $1.chargeCNY.nanos }
    }

    @Test("a counter starts from the entries already there and follows every later insert, in and out of its window", arguments: Engine.available)
    func followsInserts(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("1000"), at: Fixtures.now)
        let window = team.budget.window(at: Fixtures.now)
        try await store.append([
            try Fixtures.usage(team: team.id), try Fixtures.usage(team: team.id, at: Fixtures.now.addingTimeInterval(-40 * 86_400)),
        ])
        // The first reservation creates the counter from one SUM.
        _ = try await store.reserve(ReservationStoreTests.draft("a", team: team.id), decide: ReservationStoreTests.decide)
        let counted = try await fixture.integer("SELECT spent_cny_nanos FROM budget_counters")
        #expect(counted == (try await directSum(store, team: team.id, window: window)))
        // Later inserts of every kind keep it equal to the entries.
        try await store.append([
            try Fixtures.usage(team: team.id, model: "deepseek-v3.2", input: 7, output: 9),
            try Fixtures.usage(team: team.id, at: Fixtures.now.addingTimeInterval(-40 * 86_400)),
            .adjustment(
                kind: .credit,
                teamID: team.id,
                chargeUSD: Money(nanos: -5, .usd),
                chargeCNY: Money(nanos: -5, .cny),
                fxVersion: "fx",
                reason: "r",
                at: Fixtures.now
            ),
        ])
        var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(60))
        batch.settlements = [try ReservationStoreTests.settlement("a", team: team.id, output: 77)]
        _ = try await store.commit(batch)
        let expected = try await directSum(store, team: team.id, window: window)
        #expect(try await store.spend(teamID: team.id, currency: .cny, in: window).nanos == expected)
        let afterAll = try await fixture.integer("SELECT spent_cny_nanos FROM budget_counters")
        #expect(afterAll == expected)
    }

    @Test("counters of other teams and other windows are untouched; a changed period uses a new counter", arguments: Engine.available)
    func independentWindows(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let a = try await store.createTeam(name: "a", budget: try Fixtures.budget("1000"), at: Fixtures.now)
        let b = try await store.createTeam(name: "b", budget: try Fixtures.budget("1000"), at: Fixtures.now)
        _ = try await store.reserve(ReservationStoreTests.draft("a1", team: a.id), decide: ReservationStoreTests.decide)
        _ = try await store.reserve(ReservationStoreTests.draft("b1", team: b.id), decide: ReservationStoreTests.decide)
        try await store.append([try Fixtures.usage(team: a.id)])
        #expect(try await store.spend(teamID: b.id, currency: .cny, in: b.budget.window(at: Fixtures.now)) == .zero(.cny))
        let daily = try await store.updateBudget(teamID: a.id, budget: try Fixtures.budget("1000", .cny, .daily), at: Fixtures.now)
        _ = try await store.reserve(ReservationStoreTests.draft("a2", team: a.id), decide: ReservationStoreTests.decide)
        let dailyWindow = daily.budget.window(at: Fixtures.now)
        #expect(
            try await store.spend(teamID: a.id, currency: .cny, in: dailyWindow).nanos
                == (try await directSum(store, team: a.id, window: dailyWindow))
        )
        #expect(try await fixture.integer("SELECT COUNT(*) FROM budget_counters") == 3)
    }
}

@Suite("Reservation totals (SQLite)")
struct ReservationTotalTests {
    @Test("the held total follows every hold and release, and equals the sum of open holds")
    func followsHolds() async throws {
        let store = try TemporaryLedger().ledger
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("1000"), at: Fixtures.now)
        for index in 0..<5 {
            _ = try await store.reserve(ReservationStoreTests.draft("h\(index)", team: team.id, lease: 5), decide: ReservationStoreTests.decide)
        }
        var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(60))
        batch.settlements = [try ReservationStoreTests.settlement("h0", team: team.id, output: 10)]
        batch.releases = ["h1"]
        _ = try await store.commit(batch)
        let open = try await store.openReservations(teamID: team.id)
        #expect(open.count == 3)
        #expect(try await store.reserved(teamID: team.id, currency: .cny).nanos == open.reduce(0) { $0 + $1.held.nanos })
        _ = try await store.reclaimExpired(at: Fixtures.now.addingTimeInterval(10)) { open in
            LedgerEntry.usage(
                teamID: open.draft.teamID,
                requestID: open.draft.id,
                model: open.draft.model,
                usage: open.usageSoFar,
                valuation: try Fixtures.pricing.valuation(of: open.usageSoFar, model: open.draft.model, at: open.draft.occurredAt),
                tokenSource: .tokenizer,
                outcome: "reclaimed",
                occurredAt: open.draft.occurredAt,
                recordedAt: Fixtures.now
            )
        }
        #expect(try await store.reserved(teamID: team.id, currency: .cny) == .zero(.cny))
        let holds = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT open_holds FROM reservation_totals") }
        #expect(holds == 0)
    }
}

@Suite("Counter increments of a batch")
struct CounterIncrementTests {
    @Test("each entry adds to every window of its team that holds it: start inclusive, end exclusive, sorted by key")
    func windows() throws {
        let start = Timestamp.millis(Fixtures.now)
        let hour: Int64 = 3_600_000
        let windows: [Int64: [(start: Int64, end: Int64)]] = [
            2: [(start, start + hour), (start - hour, start + 2 * hour)],
            1: [(start, start + hour)],
        ]
        let atStart = try Fixtures.usage(team: 2, at: Fixtures.now)
        let atEnd = try Fixtures.usage(team: 2, at: Timestamp.date(start + hour))
        let teamOne = try Fixtures.usage(team: 1, at: Fixtures.now)
        let noCounter = try Fixtures.usage(team: 3, at: Fixtures.now)
        let increments = CounterIncrement.of([atStart, atEnd, teamOne, noCounter], windows: windows)
        #expect(
            increments.map { [$0.teamID, $0.windowStart, $0.windowEnd] } == [
                [1, start, start + hour], [2, start - hour, start + 2 * hour], [2, start, start + hour],
            ]
        )
        #expect(increments[0].cnyNanos == teamOne.chargeCNY.nanos)
        #expect(increments[1].usdNanos == atStart.chargeUSD.nanos + atEnd.chargeUSD.nanos)
        #expect(increments[2].usdNanos == atStart.chargeUSD.nanos)
    }
}
