import Foundation
import GRDB
import Testing
import TollgateCore

@testable import TollgateLedger
@testable import TollgateStorage

/// Since migration 0014 the SQLite ledger's writers keep the open-hold totals, the key spend
/// counters and the rate buckets (no triggers): these pin that every write path leaves them equal
/// to what a recount from the holds and entries gives.
@Suite("Counters kept by the SQLite ledger's writers")
struct CounterUpkeepTests {
    typealias Fix = ReservationStoreTests
    typealias Keys = KeyBudgetStoreTests

    static func draft(_ id: String, team: Int64, key: Int64?, second: TimeInterval, lease: TimeInterval = 30) -> ReservationDraft {
        var draft = Fix.draft(id, team: team, lease: lease)
        draft.keyID = key
        draft.occurredAt = Fixtures.now.addingTimeInterval(second)
        return draft
    }

    /// The open-hold totals as kept, and as summed from the holds; rows at zero count as none.
    static func holdTotals(_ ledger: SQLiteLedger) async throws -> (kept: [String], summed: [String]) {
        try await ledger.pool.read { db in
            let kept = try String.fetchAll(
                db,
                sql: """
                    SELECT team_id || ' ' || currency || ' ' || held_nanos || ' ' || open_holds FROM reservation_totals
                    WHERE held_nanos <> 0 OR open_holds <> 0 ORDER BY team_id, currency
                    """
            )
            let summed = try String.fetchAll(
                db,
                sql: """
                    SELECT team_id || ' ' || currency || ' ' || SUM(held_nanos) || ' ' || COUNT(*) FROM reservations
                    GROUP BY team_id, currency ORDER BY team_id, currency
                    """
            )
            return (kept, summed)
        }
    }

    static func buckets(_ ledger: SQLiteLedger) async throws -> [String] {
        try await ledger.pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT scope || ' ' || owner || ' ' || slot || ' ' || epoch_second || ' ' || requests || ' ' || tokens
                    FROM rate_buckets ORDER BY scope, owner, slot
                    """
            )
        }
    }

    @Test("holds admitted in batches, extended, settled (once, even when queued twice), released and reclaimed leave exact totals")
    func holdTotalsFollowEveryPath() async throws {
        let fixture = try TemporaryLedger()
        let ledger = fixture.ledger
        let a = try await ledger.createTeam(name: "a", budget: try Fixtures.budget("5"), at: Fixtures.now)
        let b = try await ledger.createTeam(name: "b", budget: try Fixtures.budget("5", .usd), at: Fixtures.now)
        let drafts = (0..<6).map { Self.draft("h\($0)", team: $0 % 2 == 0 ? a.id : b.id, key: nil, second: 0, lease: $0 < 4 ? 600 : 5) }
        let grants = try await ledger.pool.writeWithoutTransaction { db in
            try SQLiteLedger.admitInTransaction(db, drafts.map { AdmissionQueue.Request(draft: $0, decide: Fix.decide) })
        }
        #expect(try grants.allSatisfy { try $0.get().held })
        var totals = try await Self.holdTotals(ledger)
        #expect(totals.kept == totals.summed)
        #expect(totals.kept.count == 2)
        _ = try await ledger.extendHold(drafts[1], decide: Fix.decide)
        totals = try await Self.holdTotals(ledger)
        #expect(totals.kept == totals.summed)
        var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(600))
        batch.settlements = [try Fix.settlement("h0", team: a.id, output: 10), try Fix.settlement("h0", team: a.id, output: 10)]
        batch.settlements.append(try Fix.settlement("never-held", team: a.id, output: 10))
        batch.releases = ["h1"]
        let result = try await ledger.commit(batch)
        #expect(result.settled == ["h0"])
        // The second settlement of h0 finds its hold gone, as a settlement after a reclaim does.
        #expect(result.alreadySettled == ["h0", "never-held"])
        #expect(try await ledger.entryCount() == 1)
        totals = try await Self.holdTotals(ledger)
        #expect(totals.kept == totals.summed)
        let reclaimed = try await ledger.reclaimExpired(at: Fixtures.now.addingTimeInterval(60)) { open in
            try Fix.settlement(open.draft.id, team: open.draft.teamID, output: 0).entry
        }
        #expect(Set(reclaimed.compactMap(\.requestID)) == ["h4", "h5"])
        totals = try await Self.holdTotals(ledger)
        #expect(totals.kept == totals.summed)
        #expect(totals.kept.count == 2)
    }

    @Test("a batch under a stream limit counts the holds admitted earlier in the same transaction")
    func streamLimitWithinBatch() async throws {
        let fixture = try TemporaryLedger()
        let ledger = fixture.ledger
        let team = try await ledger.createTeam(name: "t", budget: try Fixtures.budget("5"), at: Fixtures.now)
        _ = try await ledger.setRateLimits(teamID: team.id, RateLimits(concurrentStreams: 2), at: Fixtures.now)
        let drafts = (0..<4).map { Self.draft("s\($0)", team: team.id, key: nil, second: 0) }
        let grants = try await ledger.pool.writeWithoutTransaction { db in
            try SQLiteLedger.admitInTransaction(db, drafts.map { AdmissionQueue.Request(draft: $0, decide: Fix.decide) })
        }
        #expect(try grants.map { try $0.get().held } == [true, true, false, false])
        #expect(try grants[2].get().rateLimit?.exceeded == "streams")
        #expect(try await ledger.openReservations(teamID: team.id).count == 2)
    }

    @Test("a batch under a key's stream limit counts the key's holds admitted earlier in the same transaction")
    func keyStreamLimitWithinBatch() async throws {
        let fixture = try TemporaryLedger()
        let ledger = fixture.ledger
        let team = try await ledger.createTeam(name: "t", budget: try Fixtures.budget("5"), at: Fixtures.now)
        let key = try await ledger.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        _ = try await ledger.setRateLimits(keyPrefix: "tg_ci", RateLimits(concurrentStreams: 3), at: Fixtures.now)
        _ = try await ledger.reserve(Self.draft("open", team: team.id, key: key.id, second: 0), decide: Fix.decide)
        // One of the key's holds is open already; the batch interleaves keyed and unkeyed requests.
        let drafts = (0..<6).map { Self.draft("s\($0)", team: team.id, key: $0.isMultiple(of: 2) ? key.id : nil, second: 0) }
        let grants = try await ledger.pool.writeWithoutTransaction { db in
            try SQLiteLedger.admitInTransaction(db, drafts.map { AdmissionQueue.Request(draft: $0, decide: Fix.decide) })
        }
        #expect(try grants.map { try $0.get().held } == [true, true, true, true, false, true])
        #expect(try grants[4].get().rateLimit?.exceeded == "streams")
        #expect(try await ledger.openReservations(teamID: team.id).filter { $0.draft.keyID == key.id }.count == 3)
    }

    @Test("rate buckets and a key's spend counter equal a recount after admissions, settlements and reclaims over two seconds")
    func bucketsAndKeyCounterEqualRecount() async throws {
        let fixture = try TemporaryLedger()
        let ledger = fixture.ledger
        let team = try await ledger.createTeam(name: "t", budget: try Fixtures.budget("50"), at: Fixtures.now)
        let limits = RateLimits(requestsPerMinute: 1000, tokensPerMinute: 10_000_000)
        _ = try await ledger.setRateLimits(teamID: team.id, limits, at: Fixtures.now)
        let key = try await ledger.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        _ = try await ledger.setRateLimits(keyPrefix: "tg_ci", limits, at: Fixtures.now)
        _ = try await ledger.setKeyBudget(prefix: "tg_ci", budget: try Keys.keyBudget("20"), at: Fixtures.now)
        let drafts = (0..<8).map { (index: Int) -> ReservationDraft in
            let keyID: Int64? = index.isMultiple(of: 2) ? key.id : nil
            let second: TimeInterval = index.isMultiple(of: 2) ? 0 : 1
            let lease: TimeInterval = index < 6 ? 600 : 5
            return Self.draft("r\(index)", team: team.id, key: keyID, second: second, lease: lease)
        }
        let grants = try await ledger.pool.writeWithoutTransaction { db in
            try SQLiteLedger.admitInTransaction(db, drafts.map { AdmissionQueue.Request(draft: $0, decide: Fix.decide) })
        }
        #expect(try grants.allSatisfy { try $0.get().held })
        var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(600))
        for draft in drafts.prefix(4) {
            var settlement = try Fix.settlement(draft.id, team: team.id, output: 120)
            var entry = settlement.entry
            entry.keyID = draft.keyID
            entry.occurredAt = draft.occurredAt
            settlement = .init(reservationID: draft.id, entry: entry)
            batch.settlements.append(settlement)
        }
        _ = try await ledger.commit(batch)
        _ = try await ledger.reclaimExpired(at: Fixtures.now.addingTimeInterval(60)) { open in
            var entry = try Fix.settlement(open.draft.id, team: open.draft.teamID, output: 7).entry
            entry.keyID = open.draft.keyID
            entry.occurredAt = open.draft.occurredAt
            return entry
        }
        let kept = try await Self.buckets(ledger)
        // The team's two seconds, and the key's one (its holds are all in the first).
        #expect(kept.count == 3)
        // Setting the same limits recounts the buckets from the minute's holds and usage entries.
        let at = Fixtures.now.addingTimeInterval(2)
        _ = try await ledger.setRateLimits(teamID: team.id, limits, at: at)
        _ = try await ledger.setRateLimits(keyPrefix: "tg_ci", limits, at: at)
        #expect(try await Self.buckets(ledger) == kept)
        let window = try Keys.keyBudget("20").window(at: Fixtures.now, timeZone: team.budget.timeZone)
        let (start, end) = Timestamp.bounds(window.start, window.end)
        let (counted, summed) = try await ledger.pool.read { db in
            (
                try SQLiteLedger.keySpentNanos(db, keyID: key.id, currency: .cny, start: start, end: end),
                try Int64.fetchOne(db, sql: "SELECT SUM(charge_cny_nanos) FROM ledger_entries WHERE key_id = ?", arguments: [key.id]) ?? 0
            )
        }
        #expect(summed > 0)
        #expect(counted == summed)
    }
}
