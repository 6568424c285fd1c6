import Foundation
import Testing
import TollgateCore

@testable import TollgateStorage

@Suite("A team whose entries overflow Int64, on every engine")
struct SumOverflowTests {
    @Test(
        "spend is a typed error naming the team with the exact sum; admission fails for that team alone; a correction fixes it",
        arguments: Engine.available
    )
    func overflowingTeam(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let a = try await store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        let b = try await store.createTeam(name: "b", budget: try Fixtures.budget(), at: Fixtures.now)
        let credit = LedgerEntry.adjustment(
            kind: .credit,
            teamID: a.id,
            chargeUSD: Money(nanos: -9_000_000_000_000_000_000, .usd),
            chargeCNY: Money(nanos: -9_000_000_000_000_000_000, .cny),
            fxVersion: "fx-2025-10-01",
            reason: "typo",
            at: Fixtures.now
        )
        try await store.append([credit])
        let window = a.budget.window(at: Fixtures.now)
        if engine != .sqlite {
            // PostgreSQL refuses the write whose rollup or counter sum leaves BIGINT ("bigint out
            // of range"): the entry is not written and the team stays readable.
            await #expect(throws: (any Error).self) { try await store.append([credit]) }
            #expect(try await store.spend(teamID: a.id, currency: .cny, in: window) == Money(nanos: -9_000_000_000_000_000_000, .cny))
            return
        }
        // SQLite takes it (its rollup turns the sum into a float): the state old ledgers are in.
        try await store.append([credit])
        let error = await #expect(throws: LedgerSumOverflow.self) { try await store.spend(teamID: a.id, currency: .cny, in: window) }
        #expect(error?.teamID == a.id)
        #expect(error?.exactNanos == -18_000_000_000_000_000_000)
        #expect(try await store.spend(teamID: b.id, currency: .cny, in: window) == .zero(.cny))

        // Admissions of both teams in one batch: only the overflowing team's fails.
        let refused = Task { try await store.reserve(ReservationStoreTests.draft("ra", team: a.id), decide: ReservationStoreTests.decide) }
        let admitted = Task { try await store.reserve(ReservationStoreTests.draft("rb", team: b.id), decide: ReservationStoreTests.decide) }
        await #expect(throws: LedgerSumOverflow.self) { try await refused.value }
        #expect(try await admitted.value.decision.hold != nil)

        try await store.append([
            LedgerEntry.adjustment(
                kind: .correction,
                teamID: a.id,
                chargeUSD: Money(nanos: 9_000_000_000_000_000_000, .usd),
                chargeCNY: Money(nanos: 9_000_000_000_000_000_000, .cny),
                fxVersion: "fx-2025-10-01",
                reason: "undo",
                at: Fixtures.now
            )
        ])
        #expect(try await store.spend(teamID: a.id, currency: .cny, in: window) == Money(nanos: -9_000_000_000_000_000_000, .cny))
    }
}
