import Foundation
import GRDB
import PostgresNIO
import Testing
import TollgateCore
import TollgateLocalPostgres

@testable import TollgateLedger
@testable import TollgateLedgerPostgres
@testable import TollgateStorage

/// The storage engines the shared store suite runs against.
enum Engine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when a local server started (else the reason is printed once).
    static let available: [Engine] = {
        switch TestPostgres.server {
        case .success: return [.sqlite, .postgres]
        case .failure(let error):
            FileHandle.standardError.write(Data("PostgreSQL store tests SKIPPED: a local server could not start: \(error)\n".utf8))
            return [.sqlite]
        }
    }()
}

/// One PostgreSQL cluster for the whole test run, in a temporary folder, stopped and removed at exit.
enum TestPostgres {
    static let server: Result<LocalPostgresServer, any Error> = {
        let result = Result { try LocalPostgresServer() }
        if case .success = result { atexit { if case .success(let server) = TestPostgres.server { server.shutdown() } } }
        return result
    }()
}

/// A fresh, empty ledger of one engine, and raw SQL access for tests that tamper with it.
final class StoreFixture {
    let store: any ReportStore
    private let sqlite: TemporaryLedger?
    private let postgresURL: String?

    private init(store: any ReportStore, sqlite: TemporaryLedger?, postgresURL: String? = nil) {
        self.store = store
        self.sqlite = sqlite
        self.postgresURL = postgresURL
    }

    /// A second store on the same database, as a restarted process would open it.
    func reopen() async throws -> any ReportStore {
        if let sqlite { return try SQLiteLedger(path: sqlite.path) }
        return try await PostgresLedger.connect(url: try #require(postgresURL))
    }

    static func make(_ engine: Engine) async throws -> StoreFixture {
        switch engine {
        case .sqlite:
            let ledger = try TemporaryLedger()
            return StoreFixture(store: ledger.ledger, sqlite: ledger)
        case .postgres:
            let url = try TestPostgres.server.get().createDatabase()
            return StoreFixture(store: try await PostgresLedger.connect(url: url), sqlite: nil, postgresURL: url)
        }
    }

    /// Runs one SQL statement directly, bypassing the store.
    func execute(_ sql: String) async throws {
        if let sqlite {
            try await sqlite.ledger.pool.write { db in try db.execute(sql: sql) }
        } else if let ledger = store as? PostgresLedger {
            try await ledger.read("test statement") { connection in try await connection.run(PostgresQuery(unsafeSQL: sql), logger: ledger.logger) }
        }
    }

    /// The first column of the first row of `sql`, as an integer.
    func integer(_ sql: String) async throws -> Int64? {
        if let sqlite {
            return try await sqlite.ledger.pool.read { db in try Int64.fetchOne(db, sql: sql) }
        }
        let ledger = try #require(store as? PostgresLedger)
        return try await ledger.read("test query") { connection in
            try await connection.rows(PostgresQuery(unsafeSQL: sql), logger: ledger.logger).first?[0].decode(Int64?.self)
        }
    }
}
