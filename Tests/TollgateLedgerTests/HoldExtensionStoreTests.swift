import Foundation
import Testing
import TollgateCore
import TollgateLedgerPostgres

@testable import TollgateStorage

@Suite("Hold extensions, on each engine")
struct HoldExtensionStoreTests {
    typealias Fix = ReservationStoreTests

    static func extend(by amount: String) -> @Sendable (Team, BudgetStatus) throws -> AdmissionDecision {
        { _, status in HoldExtension.decide(amount: try! Money(parsing: amount, .cny), targetOutputTokens: 1250, status: status) }
    }

    @Test("a granted extension adds to the open hold and to what the team holds", arguments: Engine.available)
    func granted(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("1"), at: Fixtures.now)
        _ = try await store.reserve(Fix.draft("a", team: team.id), decide: Fix.decide)
        let grant = try await store.extendHold(Fix.draft("a", team: team.id), decide: Self.extend(by: "0.002"))
        #expect(grant.decision == .admitted(hold: Money(nanos: 2_000_000, .cny), maxOutputTokens: 1250))
        #expect(grant.status.reserved.decimalString == "0.01")
        #expect(try await store.reserved(teamID: team.id, currency: .cny).decimalString == "0.012")
        #expect(try await store.openReservations(teamID: team.id).map(\.held.decimalString) == ["0.012"])
    }

    @Test("an extension the team's available money can't cover is refused and changes nothing", arguments: Engine.available)
    func refused(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("0.021"), at: Fixtures.now)
        _ = try await store.reserve(Fix.draft("a", team: team.id), decide: Fix.decide)
        _ = try await store.reserve(Fix.draft("b", team: team.id), decide: Fix.decide)
        let grant = try await store.extendHold(Fix.draft("a", team: team.id), decide: Self.extend(by: "0.002"))
        #expect(grant.decision == .rejected(available: Money(nanos: 1_000_000, .cny), needed: Money(nanos: 2_000_000, .cny)))
        #expect(try await store.reserved(teamID: team.id, currency: .cny).decimalString == "0.02")
    }

    @Test("a hold already settled is not recreated by an extension", arguments: Engine.available)
    func settledHold(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("1"), at: Fixtures.now)
        _ = try await store.reserve(Fix.draft("a", team: team.id), decide: Fix.decide)
        var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(60))
        batch.settlements = [try Fix.settlement("a", team: team.id, output: 10)]
        _ = try await store.commit(batch)
        let error = await #expect(throws: LedgerError.self) {
            try await store.extendHold(Fix.draft("a", team: team.id), decide: Self.extend(by: "0.002"))
        }
        #expect(error?.code == .rejected)
        #expect(error?.description.contains("settled or reclaimed") == true)
        #expect(try await store.openReservations(teamID: nil).isEmpty)
        #expect(try await store.reserved(teamID: team.id, currency: .cny).decimalString == "0.00")
    }

    @Test("admissions and extensions racing on one budget never hold more than it: room for 20 worst cases", arguments: Engine.available)
    func racing(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "race", budget: try Fixtures.budget("0.2"), at: Fixtures.now)
        for index in 0..<10 { _ = try await store.reserve(Fix.draft("held\(index)", team: team.id), decide: Fix.decide) }
        // 0.1 is held; 100 admissions of 0.01 and 100 extensions of 0.005 race for the other 0.1.
        let granted = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<100 {
                group.addTask {
                    try await store.reserve(Fix.draft("new\(index)", team: team.id), decide: Fix.decide).decision.hold?.nanos ?? 0
                }
                group.addTask {
                    try await store.extendHold(Fix.draft("held\(index % 10)", team: team.id), decide: Self.extend(by: "0.005")).decision.hold?.nanos
                        ?? 0
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(granted == 100_000_000)
        #expect(try await store.reserved(teamID: team.id, currency: .cny).decimalString == "0.20")
        let held = try await store.openReservations(teamID: team.id).reduce(Int64(0)) { $0 + $1.held.nanos }
        #expect(held == 200_000_000)
    }

    @Test("an extended hold whose lease lapses is reclaimed from its last progress, releasing the whole extended hold", arguments: Engine.available)
    func reclaimExtended(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("1"), at: Fixtures.now)
        _ = try await store.reserve(Fix.draft("dead", team: team.id, lease: 5), decide: Fix.decide)
        _ = try await store.extendHold(Fix.draft("dead", team: team.id, lease: 5), decide: Self.extend(by: "0.002"))
        var progress = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(5))
        progress.progress = [.init(reservationID: "dead", outputTokens: 1100, at: Fixtures.now)]
        _ = try await store.commit(progress)
        let reclaimed = try await store.reclaimExpired(at: Fixtures.now.addingTimeInterval(10)) { open in
            #expect(open.held.decimalString == "0.012")
            return LedgerEntry.usage(
                teamID: open.draft.teamID,
                requestID: open.draft.id,
                model: open.draft.model,
                usage: open.usageSoFar,
                valuation: try Fixtures.pricing.valuation(of: open.usageSoFar, model: open.draft.model, at: open.draft.occurredAt),
                tokenSource: open.draft.tokenSource,
                outcome: "reclaimed",
                occurredAt: open.draft.occurredAt,
                recordedAt: Fixtures.now
            )
        }
        #expect(reclaimed.first?.usage.outputTokens == 1100)
        #expect(try await store.reserved(teamID: team.id, currency: .cny).decimalString == "0.00")
        let spent = try await store.spend(teamID: team.id, currency: .cny, in: team.budget.window(at: Fixtures.now))
        #expect(spent <= (try Money(parsing: "0.012", .cny)))
    }

    @Test(
        "migrate-to-postgres copies an extended open hold at its extended amount, and the totals agree",
        .enabled(if: Engine.available.contains(.postgres), "no local PostgreSQL could start (see the SKIPPED line)")
    )
    func copiedExtended() async throws {
        let source = try TemporaryLedger()
        let team = try await source.ledger.createTeam(name: "t", budget: try Fixtures.budget("1"), at: Fixtures.now)
        _ = try await source.ledger.reserve(Fix.draft("open", team: team.id, lease: 600), decide: Fix.decide)
        _ = try await source.ledger.extendHold(Fix.draft("open", team: team.id, lease: 600), decide: Self.extend(by: "0.002"))
        let target = try await PostgresLedger.connect(url: try TestPostgres.server.get().createDatabase())
        _ = try await LedgerCopy.copy(from: source.ledger, to: target)
        #expect(try await target.openReservations(teamID: team.id).map(\.held.decimalString) == ["0.012"])
        #expect(try await target.reserved(teamID: team.id, currency: .cny).decimalString == "0.012")
        // The copied hold extends further on the new engine.
        _ = try await target.extendHold(Fix.draft("open", team: team.id, lease: 600), decide: Self.extend(by: "0.002"))
        #expect(try await target.reserved(teamID: team.id, currency: .cny).decimalString == "0.014")
    }
}
