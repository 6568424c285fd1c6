import Foundation
import GRDB
import Testing
import TollgateCore
import TollgateDefaults
import TollgateTestSupport

@testable import TollgateLedger
@testable import TollgateStorage

@Suite("Usage rollups")
struct UsageRollupTests {
    /// Entries spread over three days, out of order within each batch, with credits and reconciled usage.
    static func randomEntries(teams: [Int64], count: Int, seed: UInt64) throws -> [LedgerEntry] {
        var random = SeededGenerator(seed: seed)
        let models: [ModelID] = ["gpt-4.1", "deepseek-v3.2", "claude-sonnet-4.5"]
        let start = try Date("2026-11-14T22:00:00Z", strategy: .iso8601)
        return try (0..<count).map { index in
            let instant = start.addingTimeInterval(TimeInterval(random.next() % 259_200_000) / 1000)
            let team = teams[Int(random.next() % UInt64(teams.count))]
            if index % 17 == 0 {
                let credit = Money(nanos: -Int64(random.next() % 9_000_000_000), .cny)
                return .adjustment(
                    kind: index % 2 == 0 ? .credit : .correction,
                    teamID: team,
                    chargeUSD: Money(nanos: credit.nanos, .usd),
                    chargeCNY: credit,
                    fxVersion: "fx-2025-10-01",
                    reason: "test",
                    at: instant
                )
            }
            var entry = try Fixtures.usage(
                team: team,
                model: models[Int(random.next() % 3)],
                input: Int(random.next() % 5000),
                output: Int(random.next() % 3000),
                at: instant
            )
            if index % 3 == 0 {
                entry.tokenSource = .upstream
                entry.localInputTokens = entry.usage.inputTokens + Int(random.next() % 7)
                entry.localOutputTokens = max(0, entry.usage.outputTokens - Int(random.next() % 7))
            } else if index % 3 == 1 {
                entry.localInputTokens = 5  // local counts without upstream billing are not reconciled
            }
            return entry
        }
    }

    /// Sums computed the slow way, straight from the entries, for the same windows.
    static func expected(_ entries: [LedgerEntry], boundaries: [Date], team: Int64?) -> [String: UsageTotals] {
        var sums: [String: UsageTotals] = [:]
        for entry in entries where team == nil || entry.teamID == team {
            guard
                let window = boundaries.indices.dropLast().first(where: {
                    entry.occurredAt >= boundaries[$0] && entry.occurredAt < boundaries[$0 + 1]
                })
            else { continue }
            let key = "\(window)|\(entry.teamID)|\(entry.model?.rawValue ?? "")|\(entry.kind)|\(entry.priceVersion ?? "")|\(entry.fxVersion ?? "")"
            sums[key, default: UsageTotals()] += UsageTotals(entry)
        }
        return sums
    }

    static func keyed(_ sums: [UsageSum]) -> [String: UsageTotals] {
        Dictionary(
            uniqueKeysWithValues: sums.map {
                ("\($0.window)|\($0.teamID)|\($0.model?.rawValue ?? "")|\($0.kind)|\($0.priceVersion ?? "")|\($0.fxVersion ?? "")", $0.totals)
            }
        )
    }

    @Test("appending in many batches keeps the rollup equal to the raw entries, for aligned and unaligned windows", arguments: Engine.available)
    func manyBatches(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let teams = [
            try await fixture.store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now).id,
            try await fixture.store.createTeam(name: "b", budget: try Fixtures.budget(), at: Fixtures.now).id,
        ]
        let entries = try Self.randomEntries(teams: teams, count: 3000, seed: 7)
        for batch in stride(from: 0, to: entries.count, by: 97) {
            try await fixture.store.append(Array(entries[batch..<min(batch + 97, entries.count)]))
        }
        let check = try await fixture.store.verifyRollup(from: nil, to: nil)
        #expect(check.matches, "\(check.mismatches)")
        #expect(check.entriesCompared == 3000)

        let day = 86_400.0
        let origin = try Date("2026-11-15T00:00:00Z", strategy: .iso8601)
        let windows: [[Date]] = [
            [origin, origin.addingTimeInterval(day), origin.addingTimeInterval(2 * day)],  // aligned days
            [origin.addingTimeInterval(-3_599.5), origin.addingTimeInterval(37_007.25), origin.addingTimeInterval(day + 61)],  // unaligned
            [origin.addingTimeInterval(100), origin.addingTimeInterval(700)],  // inside one bucket
            [origin.addingTimeInterval(-2 * day), origin.addingTimeInterval(5 * day)],  // everything
        ]
        for boundaries in windows {
            for team in [nil, teams[1]] {
                let sums = try await fixture.store.usageSums(across: boundaries, teamID: team)
                #expect(Self.keyed(sums) == Self.expected(entries, boundaries: boundaries, team: team))
            }
        }
    }

    @Test("a refused append leaves the rollup untouched", arguments: Engine.available)
    func refusedAppend(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let team = try await fixture.store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now).id
        try await fixture.store.append([try Fixtures.usage(team: team, requestID: "r1")])
        let window = [Fixtures.now.addingTimeInterval(-86_400), Fixtures.now.addingTimeInterval(86_400)]
        let before = try await fixture.store.usageSums(across: window, teamID: nil)
        await #expect(throws: LedgerError.self) {
            try await fixture.store.append([try Fixtures.usage(team: team, output: 9_999), try Fixtures.usage(team: team, requestID: "r1")])
        }
        #expect(try await fixture.store.usageSums(across: window, teamID: nil) == before)
        #expect(try await fixture.store.verifyRollup(from: nil, to: nil).matches)
    }

    @Test("verify finds a rollup row that disagrees with the entries", arguments: Engine.available)
    func tamperedRollup(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let team = try await fixture.store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now).id
        try await fixture.store.append([try Fixtures.usage(team: team)])
        try await fixture.execute("UPDATE usage_rollups SET charge_cny_nanos = charge_cny_nanos + 1")
        let check = try await fixture.store.verifyRollup(from: nil, to: nil)
        #expect(!check.matches)
        #expect(check.mismatches.first?.contains("entries say 1 entries") == true)
    }

    /// Anthropic entries with prompt-cache writes (5-minute, 1-hour, both), among plain ones.
    static func cacheWriteEntries(team: Int64) throws -> [LedgerEntry] {
        try (0..<60).map { index in
            var entry = try Fixtures.usage(
                team: team,
                model: index % 2 == 0 ? "claude-sonnet-4.5" : "gpt-4.1",
                input: 1000 + index,
                output: 50,
                at: Fixtures.now.addingTimeInterval(Double(index) * 700)
            )
            if index % 2 == 0 {
                entry.usage = try TokenUsage(
                    inputTokens: 1000 + index,
                    cachedInputTokens: 10,
                    cacheWrite5mTokens: index % 4 == 0 ? 300 : 0,
                    cacheWrite1hTokens: index % 3 == 0 ? 200 + index : 0,
                    outputTokens: 50
                )
            }
            return entry
        }
    }

    @Test("cache-write tokens are summed into the rollup and read back by reports, equal to the raw entries", arguments: Engine.available)
    func cacheWrites(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let team = try await fixture.store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now).id
        let entries = try Self.cacheWriteEntries(team: team)
        try await fixture.store.append(Array(entries.prefix(25)))
        try await fixture.store.append(Array(entries.dropFirst(25)))
        let check = try await fixture.store.verifyRollup(from: nil, to: nil)
        #expect(check.matches, "\(check.mismatches)")
        let window = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 4_000_000_000)]
        let sums = try await fixture.store.usageSums(across: window, teamID: nil)
        #expect(Self.keyed(sums) == Self.expected(entries, boundaries: window, team: nil))
        let total = sums.reduce(into: UsageTotals()) { $0 += $1.totals }
        #expect(total.cacheWrite5mTokens == Int64(entries.reduce(0) { $0 + $1.usage.cacheWrite5mTokens }))
        #expect(total.cacheWrite1hTokens == Int64(entries.reduce(0) { $0 + $1.usage.cacheWrite1hTokens }))
        #expect(total.cacheWrite5mTokens > 0 && total.cacheWrite1hTokens > 0)
    }

    @Test("a ledger whose entries carry cache writes from before migration 0010 gets them into its rollup when migrated")
    func cacheWriteBackfill() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-backfill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appending(path: "old.sqlite").path
        let entries: [LedgerEntry]
        do {
            let ledger = try SQLiteLedger(path: path)
            let team = try await ledger.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now).id
            entries = try Self.cacheWriteEntries(team: team)
            try await ledger.append(entries)
        }
        // Back to the schema before 0010: rollup rows without the cache-write columns.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            for table in ["usage_rollups", "reservations"] {
                for column in ["cache_write_5m_tokens", "cache_write_1h_tokens"] { try db.execute(sql: "ALTER TABLE \(table) DROP COLUMN \(column)") }
            }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE '0010%'")
        }
        try queue.close()
        let migrated = try SQLiteLedger(path: path)
        #expect(try await migrated.verifyRollup(from: nil, to: nil).matches)
        let window = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 4_000_000_000)]
        #expect(Self.keyed(try await migrated.usageSums(across: window, teamID: nil)) == Self.expected(entries, boundaries: window, team: nil))
    }

    @Test("a ledger written before the rollup migration gets its rollup from the entries it holds")
    func backfill() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-backfill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appending(path: "old.sqlite").path
        let queue = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        let first = try #require(ShippedData.migrations(for: "sqlite").first)
        migrator.registerMigration("0001_initial") { db in try db.execute(sql: first.contents) }
        try migrator.migrate(queue)
        let entries = try Self.randomEntries(teams: [1], count: 500, seed: 3)
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO teams VALUES (1, 'a', 1000, 'CNY', 'monthly', NULL, 'reject', 'UTC', 0, 0, 0)")
            try Self.insertAsVersion1(entries, into: db)
        }
        try queue.close()
        let ledger = try SQLiteLedger(path: path)
        #expect(try await ledger.verifyRollup(from: nil, to: nil).matches)
        let window = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 4_000_000_000)]
        #expect(Self.keyed(try await ledger.usageSums(across: window, teamID: nil)) == Self.expected(entries, boundaries: window, team: nil))
    }
}

extension UsageRollupTests {
    /// Writes entries with the columns of migration 0001 only, as a ledger of that time held them.
    static func insertAsVersion1(_ entries: [LedgerEntry], into db: Database) throws {
        for entry in entries {
            try db.execute(
                sql: """
                    INSERT INTO ledger_entries (
                        kind, team_id, key_id, request_id, model, input_tokens, cached_input_tokens, output_tokens,
                        local_input_tokens, local_output_tokens, token_source, outcome, price_version, fx_version,
                        charge_usd_nanos, charge_cny_nanos, official_usd_nanos, baseline_cny_nanos, reason,
                        occurred_at, recorded_at, admission)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    entry.kind.rawValue, entry.teamID, entry.keyID, entry.requestID, entry.model?.rawValue, entry.usage.inputTokens,
                    entry.usage.cachedInputTokens, entry.usage.outputTokens, entry.localInputTokens, entry.localOutputTokens,
                    entry.tokenSource?.rawValue, entry.outcome, entry.priceVersion, entry.fxVersion, entry.chargeUSD.nanos,
                    entry.chargeCNY.nanos, entry.officialUSD.nanos, entry.baselineCNY.nanos, entry.reason,
                    Timestamp.millis(entry.occurredAt), Timestamp.millis(entry.recordedAt), entry.admission,
                ]
            )
        }
    }
}
