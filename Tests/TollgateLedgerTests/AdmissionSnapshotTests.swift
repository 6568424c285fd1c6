import Foundation
import GRDB
import Testing
import TollgateCore

@testable import TollgateLedger
@testable import TollgateStorage

/// A reservation batch reads each team once; these pin that what later admissions see equals what a
/// fresh read would have seen.
@Suite("Admissions sharing one reservation transaction")
struct AdmissionSnapshotTests {
    typealias Helpers = ReservationStoreTests

    /// Runs `drafts` through one IMMEDIATE transaction with one snapshot, as the queue does.
    static func batch(_ ledger: SQLiteLedger, _ drafts: [ReservationDraft]) async throws -> [Result<ReservationGrant, any Error>] {
        try await ledger.pool.writeWithoutTransaction { db in
            try SQLiteLedger.admitInTransaction(db, drafts.map { AdmissionQueue.Request(draft: $0, decide: Helpers.decide) })
        }
    }

    @Test("later admissions of a team in the batch see the holds and spend before them, per team")
    func interleavedTeams() async throws {
        let fixture = try TemporaryLedger()
        // Each worst case is ¥0.01: team a fits 3, team b fits 1; b already spent part of its budget.
        let a = try await fixture.ledger.createTeam(name: "a", budget: try Fixtures.budget("0.035"), at: Fixtures.now)
        let b = try await fixture.ledger.createTeam(name: "b", budget: try Fixtures.budget("0.05"), at: Fixtures.now)
        try await fixture.ledger.append([try Fixtures.usage(team: b.id, input: 4000, output: 0)])
        let spentB = try await fixture.ledger.spend(teamID: b.id, currency: .cny, in: b.budget.window(at: Fixtures.now))
        let drafts = (0..<5).flatMap { index in
            [Helpers.draft("a\(index)", team: a.id), Helpers.draft("b\(index)", team: b.id)]
        }
        let results = try await Self.batch(fixture.ledger, drafts)
        let grants = try results.map { try $0.get() }
        let admittedA = grants.filter { $0.team.id == a.id && $0.decision.hold != nil }.count
        let admittedB = grants.filter { $0.team.id == b.id && $0.decision.hold != nil }.count
        #expect(admittedA == 3)
        #expect(Int64(admittedB) == (50_000_000 - spentB.nanos) / 10_000_000)
        // Each grant reports the same status a fresh read at that point would have given.
        let statusesA = grants.filter { $0.team.id == a.id }.map(\.status.reserved.nanos)
        #expect(statusesA == [0, 10_000_000, 20_000_000, 30_000_000, 30_000_000])
        #expect(grants.filter { $0.team.id == b.id }.allSatisfy { $0.status.spent == spentB })
        #expect(try await fixture.ledger.reserved(teamID: a.id, currency: .cny).decimalString == "0.03")
    }

    @Test("a key's budget is read once per batch and counts the holds of that key admitted before it in the batch")
    func keyBudgetWithinBatch() async throws {
        let fixture = try TemporaryLedger()
        let team = try await fixture.ledger.createTeam(name: "t", budget: try Fixtures.budget("5"), at: Fixtures.now)
        let key = try await fixture.ledger.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        // Each worst case is ¥0.01: the key's own budget fits two, the team's many more.
        _ = try await fixture.ledger.setKeyBudget(prefix: "tg_ci", budget: try KeyBudgetStoreTests.keyBudget("0.025"), at: Fixtures.now)
        let drafts = (0..<5).map { index in
            var draft = Helpers.draft("k\(index)", team: team.id)
            draft.keyID = index < 4 ? key.id : nil
            return draft
        }
        let grants = try await Self.batch(fixture.ledger, drafts).map { try $0.get() }
        #expect(grants.map(\.held) == [true, true, false, false, true])
        #expect(grants.prefix(3).map(\.status.reserved.nanos) == [0, 10_000_000, 20_000_000])
        #expect(grants[2].scope.key?.prefix == "tg_ci")
        let held = try await fixture.ledger.openReservations(teamID: team.id).filter { $0.draft.keyID == key.id }
        #expect(held.count == 2)
    }

    @Test("a hold that fails to insert is not counted by the admissions after it")
    func failedInsertIsNotCounted() async throws {
        let fixture = try TemporaryLedger()
        let team = try await fixture.ledger.createTeam(name: "t", budget: try Fixtures.budget("0.02"), at: Fixtures.now)
        // The second draft reuses the first id: its insert fails, so the third still fits.
        let drafts = [Helpers.draft("x", team: team.id), Helpers.draft("x", team: team.id), Helpers.draft("y", team: team.id)]
        let results = try await Self.batch(fixture.ledger, drafts)
        #expect((try? results[0].get())?.decision.hold != nil)
        #expect((try? results[1].get()) == nil)
        #expect(try results[2].get().decision.hold != nil)
        #expect(try await fixture.ledger.reserved(teamID: team.id, currency: .cny).decimalString == "0.02")
    }

    @Test("a batch straddling a period boundary reads the new period afresh")
    func periodBoundary() async throws {
        let fixture = try TemporaryLedger()
        let team = try await fixture.ledger.createTeam(name: "t", budget: try Fixtures.budget("0.05", .cny, .daily), at: Fixtures.now)
        try await fixture.ledger.append([try Fixtures.usage(team: team.id, input: 4000, output: 0)])
        var tomorrow = Helpers.draft("next-day", team: team.id)
        tomorrow = ReservationDraft(
            id: tomorrow.id,
            teamID: tomorrow.teamID,
            keyID: nil,
            model: tomorrow.model,
            priceVersion: tomorrow.priceVersion,
            fxVersion: tomorrow.fxVersion,
            prompt: tomorrow.prompt,
            tokenSource: tomorrow.tokenSource,
            occurredAt: Fixtures.now.addingTimeInterval(86_400),
            leaseExpiresAt: Fixtures.now.addingTimeInterval(86_430)
        )
        let results = try await Self.batch(fixture.ledger, [Helpers.draft("today", team: team.id), tomorrow])
        let today = try results[0].get()
        let next = try results[1].get()
        #expect(today.status.spent.nanos > 0)
        #expect(next.status.spent.nanos == 0)
        #expect(next.status.window != today.status.window)
    }
}
