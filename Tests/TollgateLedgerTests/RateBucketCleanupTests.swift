import Foundation
import Testing
import TollgateCore

@testable import TollgateStorage

/// Per-second rate buckets (sqlite 0012 / postgres 0009) go when the last per-minute limit of their
/// team or key goes, and nothing brings them back until a per-minute limit is set again.
@Suite("Rate buckets after limits are removed, on each engine")
struct RateBucketCleanupTests {
    typealias Fix = ReservationStoreTests
    typealias Keys = KeyBudgetStoreTests

    static func rows(_ fixture: StoreFixture, _ scope: String) async throws -> Int64 {
        try await fixture.integer("SELECT COUNT(*) FROM rate_buckets WHERE scope = '\(scope)'") ?? -1
    }

    @Test(
        "removing a key's, then its team's, last per-minute limit deletes their rows; holds admitted before settle without rows coming back",
        arguments: Engine.available
    )
    func cleared(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let team = try await store.createTeam(name: "t", budget: try Fixtures.budget("10"), at: Fixtures.now)
        let key = try await store.addKey(teamID: team.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        _ = try await store.setRateLimits(teamID: team.id, RateLimits(requestsPerMinute: 100, concurrentStreams: 10), at: Fixtures.now)
        _ = try await store.setRateLimits(keyPrefix: "tg_ci", RateLimits(tokensPerMinute: 100_000), at: Fixtures.now)
        #expect(try await store.reserve(Keys.draft("settled", team: team.id, key: key.id), decide: Fix.decide).held)
        #expect(try await store.reserve(Keys.draft("open", team: team.id, key: key.id), decide: Fix.decide).held)
        var batch = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(60))
        batch.settlements = [try Keys.settlement("settled", team: team.id, key: key.id, output: 250)]
        _ = try await store.commit(batch)
        #expect(try await Self.rows(fixture, "team") == 1)
        #expect(try await Self.rows(fixture, "key") == 1)

        // The key's only limit goes: its rows go, the team's stay.
        _ = try await store.setRateLimits(keyPrefix: "tg_ci", .none, at: Fixtures.now)
        #expect(try await Self.rows(fixture, "key") == 0)
        #expect(try await Self.rows(fixture, "team") == 1)
        // The team keeps only a stream limit, which reads open holds, not buckets: its rows go too.
        _ = try await store.setRateLimits(teamID: team.id, RateLimits(concurrentStreams: 10), at: Fixtures.now)
        #expect(try await Self.rows(fixture, "team") == 0)

        // The hold admitted under the limits settles, and new requests come: no row comes back.
        batch.settlements = [try Keys.settlement("open", team: team.id, key: key.id, output: 250)]
        _ = try await store.commit(batch)
        #expect(try await store.reserve(Keys.draft("later", team: team.id, key: key.id), decide: Fix.decide).held)
        var release = LedgerCommit(leaseExpiresAt: Fixtures.now.addingTimeInterval(60))
        release.releases = ["later"]
        _ = try await store.commit(release)
        #expect(try await Self.rows(fixture, "team") + Self.rows(fixture, "key") == 0)

        // A per-minute limit set again counts the minute's two settled requests from their entries
        // (a hold released while no limit applied left nothing to count), not from old rows.
        let again = try await store.setRateLimits(teamID: team.id, RateLimits(requestsPerMinute: 3), at: Fixtures.now)
        #expect(again.limits.requestsPerMinute == 3)
        #expect(try await Self.rows(fixture, "team") == 1)
        let third = try await store.reserve(Fix.draft("third", team: team.id), decide: Fix.decide)
        #expect(third.held && third.rateLimit?.requests?.remaining == 0)
        let refused = try await store.reserve(Fix.draft("fourth", team: team.id), decide: Fix.decide)
        #expect(refused.rateLimit?.exceeded == "requests")
        #expect(refused.rateLimit?.used == 3)
    }
}
