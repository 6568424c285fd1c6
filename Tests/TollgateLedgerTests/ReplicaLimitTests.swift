import Foundation
import Testing
import TollgateCore
import TollgateLedgerPostgres

/// Per-key budgets and rate limits hold for the sum of several replicas on one PostgreSQL.
@Suite(
    "Key budgets and rate limits across PostgreSQL replicas",
    .enabled(if: Engine.available.contains(.postgres), "no local PostgreSQL could start (see the SKIPPED line)")
)
struct ReplicaLimitTests {
    typealias Fix = ReservationStoreTests
    typealias Keys = KeyBudgetStoreTests

    @Test("three replicas racing 300 keyed admissions: the key budget, the stream limit and the request limit each admit exactly their bound")
    func replicas() async throws {
        let replicas = try await PostgresLedgerTests.replicas(3)
        let first = replicas[0]
        let budgeted = try await first.createTeam(name: "budgeted", budget: try Fixtures.budget("100"), at: Fixtures.now)
        let ci = try await first.addKey(teamID: budgeted.id, prefix: "tg_ci", hash: Data([1]), label: nil, at: Fixtures.now)
        _ = try await first.setKeyBudget(prefix: "tg_ci", budget: try Keys.keyBudget("0.13"), at: Fixtures.now)  // 13 holds of ¥0.01
        let streams = try await first.createTeam(name: "streams", budget: try Fixtures.budget("100"), at: Fixtures.now)
        let agent = try await first.addKey(teamID: streams.id, prefix: "tg_agent", hash: Data([2]), label: nil, at: Fixtures.now)
        _ = try await first.setRateLimits(keyPrefix: "tg_agent", RateLimits(concurrentStreams: 5), at: Fixtures.now)
        let requests = try await first.createTeam(name: "requests", budget: try Fixtures.budget("100"), at: Fixtures.now)
        _ = try await first.setRateLimits(teamID: requests.id, RateLimits(requestsPerMinute: 9), at: Fixtures.now)
        let targets: [(team: Int64, key: Int64?)] = [(budgeted.id, ci.id), (streams.id, agent.id), (requests.id, nil)]
        let admitted = try await withThrowingTaskGroup(of: (Int64, Bool).self) { group in
            for index in 0..<300 {
                let target = targets[index % 3]
                let store = replicas[(index / 3) % 3]
                group.addTask {
                    (target.team, try await store.reserve(Keys.draft("r\(index)", team: target.team, key: target.key), decide: Fix.decide).held)
                }
            }
            return try await group.reduce(into: [Int64: Int]()) { if $1.1 { $0[$1.0, default: 0] += 1 } }
        }
        #expect(admitted[budgeted.id] == 13)
        #expect(admitted[streams.id] == 5)
        #expect(admitted[requests.id] == 9)
        #expect(try await first.reserved(teamID: budgeted.id, currency: .cny).decimalString == "0.13")
    }
}
