import Foundation
import Testing
import TollgateCore
import TollgateLedgerPostgres

@testable import TollgateStorage

@Suite("Rate limits, on each engine")
struct RateLimitStoreTests {
    typealias Fix = ReservationStoreTests
    typealias Keys = KeyBudgetStoreTests

    static func settle(_ store: any LedgerStore, _ id: String, team: Int64, output: Int = 250) async throws {
        var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(60))
        batch.settlements = [try Fix.settlement(id, team: team, output: output)]
        _ = try await store.commit(batch)
    }

    @Test("limits are stored on teams and keys, read back by every query, removed with none; below 1 is refused", arguments: Engine.available)
    func roundTrip(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("10"), at: Fixtures.now)
        _ = try await store.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        let limits = RateLimits(requestsPerMinute: 60, tokensPerMinute: 100_000, concurrentStreams: 4)
        #expect(try await store.setRateLimits(teamID: team.id, limits, at: Fixtures.now).limits == limits)
        #expect(try await store.team(named: "t").limits == limits)
        #expect(try await store.setRateLimits(keyPrefix: "tg_ci", RateLimits(concurrentStreams: 1), at: Fixtures.now).limits.concurrentStreams == 1)
        let found = try #require(try await store.keyWithTeam(prefix: "tg_ci"))
        #expect(found.key.limits == RateLimits(concurrentStreams: 1))
        #expect(found.team.limits == limits)
        #expect(try await store.setRateLimits(teamID: team.id, .none, at: Fixtures.now).limits.isEmpty)
        await #expect(throws: BudgetError.self) { try await store.setRateLimits(teamID: team.id, RateLimits(tokensPerMinute: 0), at: Fixtures.now) }
        let unknown = await #expect(throws: BudgetError.self) { try await store.setRateLimits(keyPrefix: "tg_nope", .none, at: Fixtures.now) }
        #expect(unknown?.code == .invalidKey)
    }

    @Test("concurrent streams: the limit refuses the next stream without holding, a settled stream frees its place", arguments: Engine.available)
    func streams(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("10"), at: Fixtures.now)
        _ = try await store.setRateLimits(teamID: team.id, RateLimits(concurrentStreams: 2), at: Fixtures.now)
        #expect(try await store.reserve(Fix.draft("a", team: team.id), decide: Fix.decide).held)
        #expect(try await store.reserve(Fix.draft("b", team: team.id), decide: Fix.decide).held)
        let third = try await store.reserve(Fix.draft("c", team: team.id), decide: Fix.decide)
        #expect(!third.held)
        #expect(third.rateLimit?.exceeded == "streams")
        #expect(third.rateLimit?.retryAfterSeconds == 1)
        #expect(try await store.openReservations(teamID: team.id).count == 2)
        try await Self.settle(store, "a", team: team.id)
        #expect(try await store.reserve(Fix.draft("c", team: team.id), decide: Fix.decide).held)
    }

    @Test("requests per minute count settled requests too, and say when the oldest leaves the window", arguments: Engine.available)
    func requests(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("10"), at: Fixtures.now)
        _ = try await store.setRateLimits(teamID: team.id, RateLimits(requestsPerMinute: 2), at: Fixtures.now)
        let first = try await store.reserve(Fix.draft("a", team: team.id), decide: Fix.decide)
        #expect(first.rateLimit?.requests == .init(limit: 2, remaining: 1, resetSeconds: 0))
        try await Self.settle(store, "a", team: team.id)
        #expect(try await store.reserve(Fix.draft("b", team: team.id), decide: Fix.decide).held)
        try await Self.settle(store, "b", team: team.id)
        let third = try await store.reserve(Fix.draft("c", team: team.id), decide: Fix.decide)
        #expect(!third.held)
        #expect(third.rateLimit?.exceeded == "requests")
        #expect(third.rateLimit?.retryAfterSeconds == 60)
        var later = Fix.draft("d", team: team.id)
        later.occurredAt = Fixtures.now.addingTimeInterval(61)
        #expect(try await store.reserve(later, decide: Fix.decide).held)
    }

    @Test("tokens per minute count prompt + max_tokens while in flight and the real tokens once settled", arguments: Engine.available)
    func tokens(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("10"), at: Fixtures.now)
        // Each request is 1000 prompt + 1000 max_tokens = 2000 admitted, 1250 once settled with 250 out.
        _ = try await store.setRateLimits(teamID: team.id, RateLimits(tokensPerMinute: 4500), at: Fixtures.now)
        let first = try await store.reserve(Fix.draft("a", team: team.id), decide: Fix.decide)
        #expect(first.rateLimit?.tokens?.remaining == 2500)
        #expect(try await store.reserve(Fix.draft("b", team: team.id), decide: Fix.decide).held)
        let refused = try await store.reserve(Fix.draft("c", team: team.id), decide: Fix.decide)
        #expect(refused.rateLimit?.exceeded == "tokens")
        #expect(refused.rateLimit?.used == 4000)
        try await Self.settle(store, "a", team: team.id)
        try await Self.settle(store, "b", team: team.id)
        let corrected = try await store.reserve(Fix.draft("c", team: team.id), decide: Fix.decide)
        #expect(corrected.held)
        #expect(corrected.rateLimit?.tokens?.remaining == 0)
    }

    @Test(
        "per-second buckets: a released hold keeps its request but not its tokens; the same second a minute on starts over",
        arguments: Engine.available
    )
    func buckets(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("10"), at: Fixtures.now)
        // Each request is 2000 tokens admitted; two fit in 4500, a third does not while both are held.
        _ = try await store.setRateLimits(teamID: team.id, RateLimits(requestsPerMinute: 3, tokensPerMinute: 4500), at: Fixtures.now)
        #expect(try await store.reserve(Fix.draft("a", team: team.id), decide: Fix.decide).held)
        #expect(try await store.reserve(Fix.draft("b", team: team.id), decide: Fix.decide).held)
        var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(60))
        batch.releases = ["a"]
        _ = try await store.commit(batch)
        let third = try await store.reserve(Fix.draft("c", team: team.id), decide: Fix.decide)
        #expect(third.held)
        #expect(third.rateLimit?.tokens?.remaining == 500)
        #expect(third.rateLimit?.requests?.remaining == 0)
        let fourth = try await store.reserve(Fix.draft("d", team: team.id), decide: Fix.decide)
        #expect(fourth.rateLimit?.exceeded == "requests")
        #expect(fourth.rateLimit?.used == 3)
        // 59.999 s on the requests still count; at the same second of the next minute their slot starts over.
        var stillIn = Fix.draft("e", team: team.id)
        stillIn.occurredAt = Fixtures.now.addingTimeInterval(59.999)
        #expect(try await store.reserve(stillIn, decide: Fix.decide).rateLimit?.exceeded == "requests")
        var nextMinute = Fix.draft("f", team: team.id)
        nextMinute.occurredAt = Fixtures.now.addingTimeInterval(60)
        let fresh = try await store.reserve(nextMinute, decide: Fix.decide)
        #expect(fresh.held)
        #expect(fresh.rateLimit?.requests?.remaining == 2)
        var again = Fix.draft("g", team: team.id)
        again.occurredAt = Fixtures.now.addingTimeInterval(60.5)
        let second = try await store.reserve(again, decide: Fix.decide)
        #expect(second.rateLimit?.requests == .init(limit: 3, remaining: 1, resetSeconds: 60))
    }

    @Test("a per-minute limit set mid-minute counts the minute's requests already made, open and settled", arguments: Engine.available)
    func setMidMinute(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("10"), at: Fixtures.now)
        #expect(try await store.reserve(Fix.draft("a", team: team.id), decide: Fix.decide).held)
        #expect(try await store.reserve(Fix.draft("b", team: team.id), decide: Fix.decide).held)
        try await Self.settle(store, "b", team: team.id)
        _ = try await store.setRateLimits(teamID: team.id, RateLimits(requestsPerMinute: 3, tokensPerMinute: 10_000), at: Fixtures.now)
        // a (open, no estimate) counts its 1000-token prompt, b its real 1250, c its 2000 estimate.
        let third = try await store.reserve(Fix.draft("c", team: team.id), decide: Fix.decide)
        #expect(third.rateLimit?.requests?.remaining == 0)
        #expect(third.rateLimit?.tokens?.remaining == 5750)
        try await Self.settle(store, "a", team: team.id)
        let refused = try await store.reserve(Fix.draft("d", team: team.id), decide: Fix.decide)
        #expect(refused.rateLimit?.exceeded == "requests")
        #expect(refused.rateLimit?.tokens?.remaining == 5500)
    }

    @Test("a key's tokens per minute: its settled requests count their real tokens on the key, not the estimate", arguments: Engine.available)
    func keyTokens(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("10"), at: Fixtures.now)
        let ci = try await store.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        _ = try await store.setRateLimits(keyPrefix: "tg_ci", RateLimits(tokensPerMinute: 3300), at: Fixtures.now)
        #expect(try await store.reserve(Keys.draft("a", team: team.id, key: ci.id), decide: Fix.decide).held)
        let refused = try await store.reserve(Keys.draft("b", team: team.id, key: ci.id), decide: Fix.decide)
        #expect(refused.rateLimit?.exceeded == "tokens")
        #expect(refused.rateLimit?.scope == "key")
        var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(60))
        var entry = try Fix.settlement("a", team: team.id, output: 250).entry
        entry.keyID = ci.id
        batch.settlements = [.init(reservationID: "a", entry: entry)]
        _ = try await store.commit(batch)
        let admitted = try await store.reserve(Keys.draft("b", team: team.id, key: ci.id), decide: Fix.decide)
        #expect(admitted.held)
        #expect(admitted.rateLimit?.tokens?.remaining == 50)
    }

    @Test("a key's own limit refuses only that key, naming it; an extension is never rate limited", arguments: Engine.available)
    func keyLimit(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("10"), at: Fixtures.now)
        let ci = try await store.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        let dev = try await store.addKey(teamID: team.id, prefix: "tg_dev", hash: Data([2]), label: nil, at: Fixtures.now)
        _ = try await store.setRateLimits(keyPrefix: "tg_ci", RateLimits(concurrentStreams: 1), at: Fixtures.now)
        #expect(try await store.reserve(Keys.draft("a", team: team.id, key: ci.id), decide: Fix.decide).held)
        let refused = try await store.reserve(Keys.draft("b", team: team.id, key: ci.id), decide: Fix.decide)
        #expect(refused.rateLimit?.scope == "key")
        #expect(refused.rateLimit?.key == "tg_ci")
        #expect(!refused.held)
        #expect(try await store.reserve(Keys.draft("c", team: team.id, key: dev.id), decide: Fix.decide).held)
        let extended = try await store.extendHold(Keys.draft("a", team: team.id, key: ci.id), decide: HoldExtensionStoreTests.extend(by: "0.001"))
        #expect(extended.held)
        #expect(extended.rateLimit == nil)
    }

    @Test("under a burst of 120 racers the stream and request limits admit exactly their bound", arguments: Engine.available)
    func burst(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let streams = try await store.createTeam(name: "streams", budget: try Fixtures.budget("100"), at: Fixtures.now)
        let requests = try await store.createTeam(name: "requests", budget: try Fixtures.budget("100"), at: Fixtures.now)
        _ = try await store.setRateLimits(teamID: streams.id, RateLimits(concurrentStreams: 7), at: Fixtures.now)
        _ = try await store.setRateLimits(teamID: requests.id, RateLimits(requestsPerMinute: 11), at: Fixtures.now)
        let admitted = try await withThrowingTaskGroup(of: (Int64, Bool).self) { group in
            for index in 0..<240 {
                let team = index.isMultiple(of: 2) ? streams.id : requests.id
                group.addTask { (team, try await store.reserve(Fix.draft("r\(index)", team: team), decide: Fix.decide).held) }
            }
            return try await group.reduce(into: [Int64: Int]()) { if $1.1 { $0[$1.0, default: 0] += 1 } }
        }
        #expect(admitted[streams.id] == 7)
        #expect(admitted[requests.id] == 11)
        #expect(try await store.openReservations(teamID: streams.id).count == 7)
    }
}
