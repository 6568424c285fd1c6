import Foundation
import GRDB
import Synchronization
import Testing
import TollgateCore
import TollgateStorage

@testable import TollgateLedger

/// The key lookup runs synchronously on the caller's thread, so it must never queue behind the
/// pool's readers (long reports), or it would block a Swift concurrency thread with them.
@Suite("Key lookups on their own connection (SQLite)")
struct KeyLookupConnectionTests {
    @Test("a key is found while every pooled reader is busy, and sees writes made since")
    func answersWhileReadersAreBusy() async throws {
        let fixture = try TemporaryLedger()
        let ledger = fixture.ledger
        let team = try await ledger.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        _ = try await ledger.addKey(teamID: team.id, prefix: "tg_busy", hash: Data([1]), label: nil, at: Fixtures.now)
        let readers = ledger.pool.configuration.maximumReaderCount
        // The readers let go by themselves after 10 s, so a lookup that queued behind them fails
        // the test instead of hanging it.
        let busy = Counter()
        let released = Counter()
        let timedOut = Counter()
        let occupied = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<readers {
                    group.addTask {
                        try await ledger.pool.read { _ in
                            busy.increment()
                            let deadline = ContinuousClock.now + .seconds(10)
                            while released.value == 0 {
                                guard ContinuousClock.now < deadline else {
                                    timedOut.increment()
                                    return
                                }
                                usleep(1_000)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        while busy.value < readers { try await Task.sleep(for: .milliseconds(5)) }
        let found = try await ledger.keyWithTeam(prefix: "tg_busy")
        #expect(found?.team.id == team.id)
        // Revoked through the writer (the store's revokeKey reads back through the busy pool).
        try await ledger.pool.write { db in try db.execute(sql: "UPDATE api_keys SET revoked_at = 1 WHERE prefix = 'tg_busy'") }
        #expect(try await ledger.keyWithTeam(prefix: "tg_busy")?.key.isActive == false)
        #expect(timedOut.value == 0, "the lookups finished while every pooled reader was still held")
        released.increment()
        try await occupied.value
    }
}

/// The lookup decodes the joined row where the cursor stands (not a copy of it): every column must
/// still come out as the other reads give it, and the statement must let go of its read.
@Suite("Key lookup decoding (SQLite)")
struct KeyLookupDecodingTests {
    @Test("every key and team column comes out as the by-name reads give it, and no read stays open after the lookup")
    func decodesEveryColumnAndLetsGo() async throws {
        let fixture = try TemporaryLedger()
        let ledger = fixture.ledger
        let team = try await ledger.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        _ = try await ledger.addKey(teamID: team.id, prefix: "tg_all", hash: Data([1, 2, 3]), label: "label", at: Fixtures.now)
        _ = try await ledger.addKey(teamID: team.id, prefix: "tg_bare", hash: Data([4]), label: nil, at: Fixtures.now)
        try await ledger.pool.write { db in
            try db.execute(
                sql: """
                    UPDATE api_keys SET revoked_at = 1700000000000, budget_nanos = 5000000000, budget_currency = 'CNY',
                        budget_period = 'monthly', rpm_limit = 7, tpm_limit = 800, stream_limit = 3 WHERE prefix = 'tg_all'
                    """
            )
            try db.execute(sql: "UPDATE teams SET rpm_limit = 9, stream_limit = 2 WHERE id = ?", arguments: [team.id])
        }
        for prefix in ["tg_all", "tg_bare"] {
            let found = try #require(try await ledger.keyWithTeam(prefix: prefix))
            #expect(found.key == (try await ledger.key(prefix: prefix)))
            #expect(found.team == (try await ledger.team(id: team.id)))
        }
        #expect(found(try await ledger.keyWithTeam(prefix: "tg_none")) == false)
        // A statement left standing on its row would keep its read open and stop a full checkpoint.
        let checkpoint = try ledger.pool.writeWithoutTransaction { db in
            try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        #expect(checkpoint?[0] as Int64? == 0, "the checkpoint was blocked by a reader")
    }

    private func found(_ result: (key: APIKeyRecord, team: Team)?) -> Bool { result != nil }
}

/// A count shared between tasks.
private final class Counter: Sendable {
    private let count = Atomic(0)
    var value: Int { count.load(ordering: .acquiring) }
    func increment() { count.add(1, ordering: .releasing) }
}
