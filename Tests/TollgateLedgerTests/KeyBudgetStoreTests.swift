import Foundation
import Testing
import TollgateCore
import TollgateLedgerPostgres

@testable import TollgateStorage

@Suite("Per-key budgets, on each engine")
struct KeyBudgetStoreTests {
    typealias Fix = ReservationStoreTests

    static func draft(_ id: String, team: Int64, key: Int64?) -> ReservationDraft {
        var draft = Fix.draft(id, team: team)
        draft.keyID = key
        return draft
    }

    static func keyBudget(_ amount: String, _ period: BudgetPeriod = .monthly) throws -> KeyBudget {
        try KeyBudget(limit: Money(parsing: amount, .cny), period: period)
    }

    static func settlement(_ id: String, team: Int64, key: Int64, output: Int) throws -> LedgerCommit.Settlement {
        var entry = try Fix.settlement(id, team: team, output: output).entry
        entry.keyID = key
        return .init(reservationID: id, entry: entry)
    }

    @Test("a key's budget is stored, read by every key query, and removed with nil", arguments: Engine.available)
    func roundTrip(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("10"), at: Fixtures.now)
        _ = try await store.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: "ci", at: Fixtures.now)
        #expect(try await store.key(prefix: "tg_ci")?.budget == nil)
        let set = try await store.setKeyBudget(prefix: "tg_ci", budget: try Self.keyBudget("2.5", .daily), at: Fixtures.now)
        #expect(set.budget == (try Self.keyBudget("2.5", .daily)))
        #expect(try await store.key(prefix: "tg_ci")?.budget == set.budget)
        #expect(try await store.keys(teamID: team.id).map(\.budget) == [set.budget])
        #expect(try await store.keyWithTeam(prefix: "tg_ci")?.key.budget == set.budget)
        #expect(try await store.setKeyBudget(prefix: "tg_ci", budget: nil, at: Fixtures.now).budget == nil)
        #expect(try await store.keyWithTeam(prefix: "tg_ci")?.key.budget == nil)
    }

    @Test("an unknown prefix or a budget in another currency than the team's is refused and changes nothing", arguments: Engine.available)
    func refusedSettings(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("10"), at: Fixtures.now)
        _ = try await store.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        _ = try await store.setKeyBudget(prefix: "tg_ci", budget: try Self.keyBudget("1"), at: Fixtures.now)
        let unknown = await #expect(throws: BudgetError.self) {
            try await store.setKeyBudget(prefix: "tg_nope", budget: try Self.keyBudget("1"), at: Fixtures.now)
        }
        #expect(unknown?.code == .invalidKey)
        let dollars = try KeyBudget(limit: Money(parsing: "1", .usd), period: .monthly)
        let currency = await #expect(throws: BudgetError.self) { try await store.setKeyBudget(prefix: "tg_ci", budget: dollars, at: Fixtures.now) }
        #expect(currency?.code == .invalidInput)
        #expect(currency?.description.contains("team's currency (CNY)") == true)
        #expect(try await store.key(prefix: "tg_ci")?.budget == (try Self.keyBudget("1")))
    }

    @Test("a key out of its own budget is refused while its team has room, naming the key; its team-mates are not", arguments: Engine.available)
    func keyRefusesFirst(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("1"), at: Fixtures.now)
        let ci = try await store.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        let dev = try await store.addKey(teamID: team.id, prefix: "tg_dev", hash: Data([2]), label: nil, at: Fixtures.now)
        _ = try await store.setKeyBudget(prefix: "tg_ci", budget: try Self.keyBudget("0.015"), at: Fixtures.now)
        let first = try await store.reserve(Self.draft("a", team: team.id, key: ci.id), decide: Fix.decide)
        #expect(first.decision.hold != nil)
        #expect(first.scope == .key(prefix: "tg_ci", budget: try Self.keyBudget("0.015")))
        #expect(first.status.limit.decimalString == "0.015")
        let second = try await store.reserve(Self.draft("b", team: team.id, key: ci.id), decide: Fix.decide)
        #expect(second.decision == .rejected(available: Money(nanos: 5_000_000, .cny), needed: Money(nanos: 10_000_000, .cny)))
        #expect(second.scope.key?.prefix == "tg_ci")
        let mate = try await store.reserve(Self.draft("c", team: team.id, key: dev.id), decide: Fix.decide)
        #expect(mate.decision.hold != nil)
        #expect(mate.scope == .team)
        #expect(try await store.openReservations(teamID: team.id).map(\.draft.id).sorted() == ["a", "c"])
    }

    @Test("the team's budget still decides when it is the tighter one", arguments: Engine.available)
    func teamTighter(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("0.015"), at: Fixtures.now)
        let ci = try await store.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        _ = try await store.setKeyBudget(prefix: "tg_ci", budget: try Self.keyBudget("5"), at: Fixtures.now)
        _ = try await store.reserve(Self.draft("a", team: team.id, key: nil), decide: Fix.decide)
        let refused = try await store.reserve(Self.draft("b", team: team.id, key: ci.id), decide: Fix.decide)
        #expect(refused.decision.hold == nil)
        #expect(refused.scope == .team)
        #expect(refused.status.limit.decimalString == "0.015")
    }

    @Test("a key's spend counts its own entries of its period only; extensions count against the key", arguments: Engine.available)
    func spendAndExtensions(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("100"), at: Fixtures.now)
        let ci = try await store.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        _ = try await store.setKeyBudget(prefix: "tg_ci", budget: try Self.keyBudget("0.02", .daily), at: Fixtures.now)
        var mine = try Fixtures.usage(team: team.id, input: 1000, output: 250)  // ¥0.004
        mine.keyID = ci.id
        var yesterday = mine
        yesterday.occurredAt = Fixtures.now.addingTimeInterval(-86_400)
        let teamOnly = try Fixtures.usage(team: team.id, input: 1000, output: 250)
        try await store.append([mine, yesterday, teamOnly])
        let grant = try await store.reserve(Self.draft("a", team: team.id, key: ci.id), decide: Fix.decide)
        #expect(grant.status.spent.decimalString == "0.004")
        #expect(grant.decision.hold?.decimalString == "0.01")
        // 0.02 - 0.004 spent - 0.01 held leaves 0.006: an extension of 0.005 fits once, not twice.
        let extended = try await store.extendHold(Self.draft("a", team: team.id, key: ci.id), decide: HoldExtensionStoreTests.extend(by: "0.005"))
        #expect(extended.decision.hold?.decimalString == "0.005")
        let refused = try await store.extendHold(Self.draft("a", team: team.id, key: ci.id), decide: HoldExtensionStoreTests.extend(by: "0.005"))
        #expect(refused.decision == .rejected(available: Money(nanos: 1_000_000, .cny), needed: Money(nanos: 5_000_000, .cny)))
        #expect(refused.scope.key?.prefix == "tg_ci")
        #expect(try await store.openReservations(teamID: team.id).map(\.held.decimalString) == ["0.015"])
    }

    @Test("the key's spend counter, made by its first admission, follows every later settlement", arguments: Engine.available)
    func counterFollows(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("100"), at: Fixtures.now)
        let ci = try await store.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        _ = try await store.setKeyBudget(prefix: "tg_ci", budget: try Self.keyBudget("1"), at: Fixtures.now)
        #expect(try await store.reserve(Self.draft("a", team: team.id, key: ci.id), decide: Fix.decide).status.spent.nanos == 0)
        var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(60))
        batch.settlements = [try Self.settlement("a", team: team.id, key: ci.id, output: 250)]
        _ = try await store.commit(batch)
        let next = try await store.reserve(Self.draft("b", team: team.id, key: ci.id), decide: Fix.decide)
        #expect(next.status.spent.decimalString == "0.004")
        #expect(next.status.reserved.nanos == 0)
    }

    @Test("a key budget left in another currency after its team's changed refuses the key's requests with the fix", arguments: Engine.available)
    func staleCurrency(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("100"), at: Fixtures.now)
        let ci = try await store.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        _ = try await store.setKeyBudget(prefix: "tg_ci", budget: try Self.keyBudget("1"), at: Fixtures.now)
        _ = try await store.updateBudget(teamID: team.id, budget: try Fixtures.budget("100", .usd), at: Fixtures.now)
        let error = await #expect(throws: BudgetError.self) {
            try await store.reserve(Self.draft("a", team: team.id, key: ci.id), decide: Fix.decide)
        }
        // The facts for each edge to word its fix (the CLI's 'tollgate key set-budget tg_ci AMOUNT' is tested at the CLI).
        #expect(error?.problem == .keyBudgetCurrencyMismatch(prefix: "tg_ci", key: .cny, team: .usd))
        #expect(
            error?.description.contains("key 'tg_ci' has a budget in CNY but its team now budgets in USD: an admin must set the key's budget again")
                == true
        )
        #expect(try await store.openReservations(teamID: team.id).isEmpty)
    }

    @Test(
        "under a burst with settlements racing admissions, key spend + key holds ≤ key budget and team spend + holds ≤ team budget",
        arguments: Engine.available
    )
    func burstInvariant(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        // Worst cases are ¥0.01, settlements ¥0.004: the team fits 30 holds at once, key ci 10.
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("0.3"), at: Fixtures.now)
        let ci = try await store.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        let dev = try await store.addKey(teamID: team.id, prefix: "tg_dev", hash: Data([2]), label: nil, at: Fixtures.now)
        _ = try await store.setKeyBudget(prefix: "tg_ci", budget: try Self.keyBudget("0.1"), at: Fixtures.now)
        let keyLimit = try Money(parsing: "0.1", .cny)
        let teamLimit = try Money(parsing: "0.3", .cny)
        let grants = try await withThrowingTaskGroup(of: (Int64, ReservationGrant).self) { group in
            for index in 0..<300 {
                let key = index.isMultiple(of: 2) ? ci.id : dev.id
                group.addTask {
                    let id = "r\(index)"
                    let grant = try await store.reserve(Self.draft(id, team: team.id, key: key), decide: Fix.decide)
                    if grant.decision.hold != nil, index.isMultiple(of: 3) {
                        var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(60))
                        batch.settlements = [try Self.settlement(id, team: team.id, key: key, output: 250)]
                        _ = try await store.commit(batch)
                    }
                    return (key, grant)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // Every admission saw spend + holds + its own hold within the budget it was judged by.
        for (_, grant) in grants {
            guard let hold = grant.decision.hold else { continue }
            #expect(grant.status.spent + grant.status.reserved + hold <= grant.status.limit)
        }
        #expect(grants.contains { $0.0 == ci.id && $0.1.decision.hold == nil && $0.1.scope.key != nil }, "the key's budget refused some")
        let open = try await store.openReservations(teamID: team.id)
        let keyHeld = open.filter { $0.draft.keyID == ci.id }.reduce(Money.zero(.cny)) { $0 + $1.held }
        let teamHeld = open.reduce(Money.zero(.cny)) { $0 + $1.held }
        let entries = try await store.entries(teamID: team.id, from: nil, to: nil, limit: 10_000)
        let keySpent = entries.filter { $0.keyID == ci.id }.reduce(Money.zero(.cny)) { $0 + $1.chargeCNY }
        let teamSpent = try await store.spend(teamID: team.id, currency: .cny, in: team.budget.window(at: Fixtures.now))
        #expect(keySpent + keyHeld <= keyLimit)
        #expect(teamSpent + teamHeld <= teamLimit)
        #expect(keySpent.isPositive)
    }

    @Test(
        "migrate-to-postgres copies key budgets and team and key rate limits",
        .enabled(if: Engine.available.contains(.postgres), "no local PostgreSQL could start (see the SKIPPED line)")
    )
    func copied() async throws {
        let source = try TemporaryLedger()
        let team = try await source.ledger.createTeam(name: "t", budget: try Fixtures.budget("10"), at: Fixtures.now)
        _ = try await source.ledger.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        _ = try await source.ledger.addKey(teamID: team.id, prefix: "tg_dev", hash: Data([2]), label: nil, at: Fixtures.now)
        _ = try await source.ledger.setKeyBudget(prefix: "tg_ci", budget: try Self.keyBudget("2", .weekly), at: Fixtures.now)
        _ = try await source.ledger.setRateLimits(keyPrefix: "tg_ci", RateLimits(requestsPerMinute: 5), at: Fixtures.now)
        _ = try await source.ledger.setRateLimits(teamID: team.id, RateLimits(tokensPerMinute: 9, concurrentStreams: 2), at: Fixtures.now)
        let target = try await PostgresLedger.connect(url: try TestPostgres.server.get().createDatabase())
        _ = try await LedgerCopy.copy(from: source.ledger, to: target)
        #expect(try await target.key(prefix: "tg_ci")?.budget == (try Self.keyBudget("2", .weekly)))
        #expect(try await target.key(prefix: "tg_dev")?.budget == nil)
        #expect(try await target.key(prefix: "tg_ci")?.limits == RateLimits(requestsPerMinute: 5))
        #expect(try await target.team(named: "t").limits == RateLimits(tokensPerMinute: 9, concurrentStreams: 2))
    }
}
