import Foundation
import GRDB
import Testing
import TollgateDefaults

@testable import TollgateLedger
@testable import TollgateStorage

@Suite("Migrations")
struct MigrationTests {
    @Test("an empty file is migrated with every shipped migration, recorded by name")
    func fromEmpty() async throws {
        let fixture = try TemporaryLedger()
        let applied = try await fixture.ledger.appliedMigrations()
        let shipped = ShippedData.migrations(for: "sqlite").map { String($0.path.dropFirst("sqlite/".count).dropLast(".sql".count)) }
        #expect(!shipped.isEmpty)
        #expect(applied == shipped)
    }

    @Test("reopening applies nothing twice and keeps data")
    func rerunIsIdempotent() async throws {
        let fixture = try TemporaryLedger()
        _ = try await fixture.ledger.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        let reopened = try SQLiteLedger(path: fixture.path)
        let again = try SQLiteLedger(path: fixture.path)
        #expect(try await again.appliedMigrations() == (try await fixture.ledger.appliedMigrations()))
        #expect(try await reopened.teams().map(\.name) == ["a"])
    }

    @Test("a ledger written by a newer Tollgate is refused, not modified")
    func newerLedgerRefused() async throws {
        let fixture = try TemporaryLedger()
        try await fixture.ledger.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('9999_from_the_future')")
        }
        #expect(throws: LedgerError.self) { try SQLiteLedger(path: fixture.path) }
    }

    @Test("an unwritable path is a clear error naming the path")
    func unwritablePath() {
        let error = #expect(throws: LedgerError.self) { try SQLiteLedger(path: "/proc/tollgate/ledger.sqlite") }
        #expect(error?.description.contains("/proc/tollgate/ledger.sqlite") == true)
        #expect(error?.code == .unavailable)
    }

    @Test("the ledger runs in WAL mode with foreign keys on")
    func pragmas() async throws {
        let fixture = try TemporaryLedger()
        let (mode, foreignKeys) = try await fixture.ledger.pool.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(mode == "wal")
        #expect(foreignKeys == 1)
    }
}
