import Foundation
import Testing
import TollgateCore
import TollgateDefaults
import TollgateLocalPostgres

@testable import TollgateLedgerPostgres
@testable import TollgateStorage

/// What only PostgreSQL has: several stores (as several replicas) on one database, migration
/// locking, URLs, and a database that goes away and comes back.
@Suite("PostgreSQL ledger", .enabled(if: Engine.available.contains(.postgres), "no local PostgreSQL could start (see the SKIPPED line)"))
struct PostgresLedgerTests {
    static func replicas(_ count: Int) async throws -> [PostgresLedger] {
        let url = try TestPostgres.server.get().createDatabase()
        return try await withThrowingTaskGroup(of: PostgresLedger.self) { group in
            for _ in 0..<count { group.addTask { try await PostgresLedger.connect(url: url) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("replicas starting together migrate once, under the advisory lock, and record it")
    func migrateOnce() async throws {
        let ledgers = try await Self.replicas(4)
        for ledger in ledgers {
            #expect(try await ledger.appliedMigrations() == ShippedData.postgresMigrationNames)
        }
    }

    @Test("a database migrated by a newer Tollgate is refused with ledger_too_new")
    func tooNew() async throws {
        let url = try TestPostgres.server.get().createDatabase()
        let ledger = try await PostgresLedger.connect(url: url)
        try await ledger.read("test") { connection in
            try await connection.run("INSERT INTO tollgate_migrations (name) VALUES ('9999_future')", logger: ledger.logger)
        }
        let error = await #expect(throws: LedgerError.self) { try await PostgresLedger.connect(url: url) }
        #expect(error?.code == .tooNew)
    }

    @Test("reservations on three replicas never hold more than the budget: 300 racers, room for 20")
    func atomicAcrossReplicas() async throws {
        let ledgers = try await Self.replicas(3)
        let team = try await ledgers[0].createTeam(name: "race", budget: try Fixtures.budget("0.2"), at: Fixtures.now)
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<300 {
                let ledger = ledgers[index % 3]
                group.addTask {
                    try await ledger.reserve(ReservationStoreTests.draft("r\(index)", team: team.id), decide: ReservationStoreTests.decide).decision
                        .hold != nil
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 20)
        #expect(try await ledgers[2].reserved(teamID: team.id, currency: .cny).decimalString == "0.20")
    }

    @Test("settlements racing admissions on other replicas keep spend + holds within the budget, and counters exact")
    func settleWhileAdmitting() async throws {
        let ledgers = try await Self.replicas(2)
        let team = try await ledgers[0].createTeam(name: "mix", budget: try Fixtures.budget("0.5"), at: Fixtures.now)
        // Admit and settle in waves from both replicas; each settlement charges less than its hold.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                let ledger = ledgers[index % 2]
                group.addTask {
                    let grant = try await ledger.reserve(
                        ReservationStoreTests.draft("m\(index)", team: team.id),
                        decide: ReservationStoreTests.decide
                    )
                    guard grant.decision.hold != nil else { return }
                    var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(60))
                    batch.settlements = [try ReservationStoreTests.settlement("m\(index)", team: team.id, output: index % 500)]
                    _ = try await ledgers[(index + 1) % 2].commit(batch)
                }
            }
            try await group.waitForAll()
        }
        let window = team.budget.window(at: Fixtures.now)
        let spent = try await ledgers[0].spend(teamID: team.id, currency: .cny, in: window)
        let direct = try await ledgers[1].entries(teamID: team.id, from: nil, to: nil, limit: 10_000).reduce(0) { $0 + $1.chargeCNY.nanos }
        #expect(spent.nanos == direct)
        #expect(spent <= team.budget.limit)
        #expect(try await ledgers[0].reserved(teamID: team.id, currency: .cny) == .zero(.cny))
    }

    @Test("two replicas reclaiming the same expired holds settle each exactly once")
    func reclaimOnce() async throws {
        let ledgers = try await Self.replicas(2)
        let team = try await ledgers[0].createTeam(name: "dead", budget: try Fixtures.budget("10"), at: Fixtures.now)
        for index in 0..<40 {
            _ = try await ledgers[0].reserve(ReservationStoreTests.draft("d\(index)", team: team.id, lease: 5), decide: ReservationStoreTests.decide)
        }
        let settle: @Sendable (OpenReservation) throws -> LedgerEntry = { open in
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
        let later = Fixtures.now.addingTimeInterval(10)
        async let first = ledgers[0].reclaimExpired(at: later, settle: settle)
        async let second = ledgers[1].reclaimExpired(at: later, settle: settle)
        let reclaimed = try await first.count + second.count
        #expect(reclaimed == 40)
        #expect(try await ledgers[1].entryCount() == 40)
        #expect(try await ledgers[1].openReservations(teamID: nil).isEmpty)
    }

    @Test("URLs: a wrong scheme or a missing host is a clear error; the password never appears in messages")
    func urls() async throws {
        let scheme = await #expect(throws: LedgerError.self) { try await PostgresLedger.connect(url: "mysql://u:secret@h/db") }
        #expect(scheme?.description.contains("not a PostgreSQL URL") == true)
        #expect(scheme?.description.contains("secret") == false)
        let host = await #expect(throws: LedgerError.self) { try await PostgresLedger.connect(url: "postgres:///db") }
        #expect(host?.description.contains("names no host") == true)
        let mode = await #expect(throws: LedgerError.self) { try await PostgresLedger.connect(url: "postgres://u@h/db?sslmode=bogus") }
        #expect(mode?.description.contains("sslmode 'bogus' is not supported: use disable, allow, prefer, require, verify-ca or verify-full") == true)
    }

    @Test("TLS: require encrypts without checking; verify-ca and verify-full trust only sslrootcert, verify-full only under the certificate's name")
    func tls() async throws {
        let server = try LocalPostgresServer(tls: true)
        defer { server.shutdown() }
        let certificate = try #require(server.certificatePath)
        let plain = try server.createDatabase()
        let database = String(plain.split(separator: "/").last!)
        func url(host: String, _ query: String) -> String { "postgres://postgres@\(host):\(server.port)/\(database)?\(query)" }
        func encrypted(_ url: String) async throws -> Bool {
            let ledger = try await PostgresLedger.connect(url: url, deadline: .seconds(3))
            defer { ledger.close() }
            return try await ledger.read("probe") { connection in
                try await connection.rows(.sql("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), logger: ledger.logger)[0]["ssl"].decode(
                    Bool.self
                )
            }
        }
        #expect(try await encrypted(plain) == false)
        #expect(try await encrypted(url(host: "127.0.0.1", "sslmode=require")))
        #expect(try await encrypted(url(host: "127.0.0.1", "sslmode=prefer")))
        #expect(try await encrypted(url(host: "127.0.0.1", "sslmode=verify-ca&sslrootcert=\(certificate)")))
        #expect(try await encrypted(url(host: "localhost", "sslmode=verify-full&sslrootcert=\(certificate)")))
        // The certificate names localhost, not 127.0.0.1; and without sslrootcert nothing vouches for it.
        for refused in [url(host: "127.0.0.1", "sslmode=verify-full&sslrootcert=\(certificate)"), url(host: "localhost", "sslmode=verify-full")] {
            let error = await #expect(throws: LedgerError.self, "\(refused)") { _ = try await encrypted(refused) }
            #expect(error?.code == .unavailable)
        }
        let missing = await #expect(throws: LedgerError.self) {
            _ = try await encrypted(url(host: "localhost", "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem"))
        }
        #expect(missing?.description.contains("sslrootcert '/nonexistent/ca.pem' is not a readable file") == true)
    }

    @Test("nothing listening: connecting fails with ledger_unavailable within the deadline")
    func unreachable() async throws {
        let clock = ContinuousClock()
        let began = clock.now
        let error = await #expect(throws: LedgerError.self) {
            try await PostgresLedger.connect(url: "postgres://postgres:pw@127.0.0.1:1/x", deadline: .seconds(2))
        }
        #expect(error?.code == .unavailable)
        #expect(error?.description.contains("pw") == false)
        #expect(clock.now - began < .seconds(10))
    }

    @Test("errors the client passes through unwrapped count as unavailable; the data's own errors stay what they are")
    func transportErrors() async throws {
        struct PoolGaveUp: Error {}
        let ledger = try await PostgresLedger.connect(url: try TestPostgres.server.get().createDatabase())
        defer { ledger.close() }
        let transport = await #expect(throws: LedgerError.self) {
            try await ledger.withDeadline("probe") { () async throws -> Int in throw PoolGaveUp() }
        }
        #expect(transport?.code == .unavailable)
        #expect(transport?.description.contains("PoolGaveUp") == true)
        let refused = await #expect(throws: LedgerError.self) {
            try await ledger.withDeadline("probe") { () async throws -> Int in throw LedgerError(.rejected, "no") }
        }
        #expect(refused?.code == .rejected)
        await #expect(throws: CancellationError.self) {
            try await ledger.withDeadline("probe") { () async throws -> Int in throw CancellationError() }
        }
    }

    @Test("the database restarts: calls fail closed with ledger_unavailable while it is down, and work again when it is back")
    func restart() async throws {
        let server = try LocalPostgresServer()
        defer { server.shutdown() }
        let ledger = try await PostgresLedger.connect(url: try server.createDatabase(), deadline: .seconds(2))
        let team = try await ledger.createTeam(name: "r", budget: try Fixtures.budget("1"), at: Fixtures.now)
        _ = try await ledger.reserve(ReservationStoreTests.draft("before", team: team.id), decide: ReservationStoreTests.decide)
        try server.stopServer()
        let down = await #expect(throws: LedgerError.self) {
            try await ledger.reserve(ReservationStoreTests.draft("during", team: team.id), decide: ReservationStoreTests.decide)
        }
        #expect(down?.code == .unavailable)
        try server.startServer()
        // The pool reconnects by itself; the first calls may still meet a dead pooled connection.
        var settled: LedgerCommitResult?
        for _ in 0..<20 where settled == nil {
            var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(60))
            batch.settlements = [try ReservationStoreTests.settlement("before", team: team.id, output: 10)]
            settled = try? await ledger.commit(batch)
            if settled == nil { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(settled?.settled == ["before"])
        let after = try await ledger.reserve(ReservationStoreTests.draft("after", team: team.id), decide: ReservationStoreTests.decide)
        #expect(after.decision.hold != nil)
    }
}

extension ShippedData {
    /// Names of the shipped PostgreSQL migrations, as recorded.
    static var postgresMigrationNames: [String] {
        migrations(for: "postgres").map { String($0.path.dropFirst("postgres/".count).dropLast(".sql".count)) }
    }
}
