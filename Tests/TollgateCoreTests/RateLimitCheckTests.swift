import Foundation
import Testing
import TollgateCore

@Suite("Rate-limit check, pure")
struct RateLimitCheckTests {
    static let now = Date(timeIntervalSince1970: 1_000_000)

    @Test("each limit refuses at its bound, names itself, and says when to retry")
    func bounds() {
        let limits = RateLimits(requestsPerMinute: 3, tokensPerMinute: 1000, concurrentStreams: 2)
        let fits = RateLimitCheck.check(
            limits,
            usage: RateUsage(requests: 1, tokens: 400, streams: 1, oldest: Self.now.addingTimeInterval(-50)),
            requestTokens: 600,
            now: Self.now
        )
        #expect(fits.allowed)
        #expect(fits.requests == .init(limit: 3, remaining: 1, resetSeconds: 10))
        #expect(fits.tokens == .init(limit: 1000, remaining: 0, resetSeconds: 10))
        let streams = RateLimitCheck.check(
            limits,
            usage: RateUsage(requests: 1, tokens: 0, streams: 2, oldest: Self.now),
            requestTokens: 1,
            now: Self.now
        )
        #expect(streams.exceeded == "streams")
        #expect(streams.retryAfterSeconds == 1)
        let requests = RateLimitCheck.check(
            limits,
            usage: RateUsage(requests: 3, tokens: 0, streams: 0, oldest: Self.now.addingTimeInterval(-45)),
            requestTokens: 1,
            now: Self.now
        )
        #expect(requests.exceeded == "requests")
        #expect(requests.retryAfterSeconds == 15)
        #expect(requests.requests?.remaining == 0)
        let tokens = RateLimitCheck.check(
            limits,
            usage: RateUsage(requests: 1, tokens: 401, streams: 0, oldest: Self.now.addingTimeInterval(-59.5)),
            requestTokens: 600,
            now: Self.now
        )
        #expect(tokens.exceeded == "tokens")
        #expect(tokens.retryAfterSeconds == 1)
    }

    @Test("team and key merged: the team's refusal first, the key's when only it refuses, the tighter figures for headers")
    func merged() {
        let teamLimits = RateLimits(requestsPerMinute: 100)
        let keyLimits = RateLimits(requestsPerMinute: 2)
        var key = RateLimitCheck.check(keyLimits, usage: RateUsage(requests: 2), requestTokens: 1, now: Self.now)
        key.scope = "key"
        key.key = "tg_ci"
        let team = RateLimitCheck.check(teamLimits, usage: RateUsage(requests: 10), requestTokens: 1, now: Self.now)
        let both = try! #require(RateLimitCheck.merged(team: team, key: key))
        #expect(both.exceeded == "requests")
        #expect(both.scope == "key")
        #expect(both.key == "tg_ci")
        #expect(both.requests?.limit == 2)
        #expect(RateLimitCheck.merged(team: nil, key: nil) == nil)
        #expect(RateLimitCheck.merged(team: team, key: nil) == team)
    }

    @Test("limits below 1 are refused naming the flag")
    func validation() {
        #expect(throws: BudgetError.self) { try RateLimits(requestsPerMinute: 0).validated() }
        #expect(RateLimits.none.isEmpty)
        #expect(!RateLimits(concurrentStreams: 1).isEmpty)
    }
}
