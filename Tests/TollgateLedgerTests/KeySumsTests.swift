import Foundation
import Testing
import TollgateCore
import TollgateStorage

@testable import TollgateLedger

@Suite("Usage sums per key, on each engine")
struct KeySumsTests {
    @Test("keySums equal the raw entries summed per window, team, key and model; entries without a key sum apart", arguments: Engine.available)
    func perKey(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let store = fixture.store
        let teams = [
            try await store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now).id,
            try await store.createTeam(name: "b", budget: try Fixtures.budget(), at: Fixtures.now).id,
        ]
        var keys: [Int64: [Int64?]] = [:]
        for (index, team) in teams.enumerated() {
            let first = try await store.addKey(teamID: team, prefix: "tg_k\(index)a", hash: Data([UInt8(index), 1]), label: nil, at: Fixtures.now)
            let second = try await store.addKey(teamID: team, prefix: "tg_k\(index)b", hash: Data([UInt8(index), 2]), label: nil, at: Fixtures.now)
            keys[team] = [first.id, second.id, nil]
        }
        var entries = try UsageRollupTests.randomEntries(teams: teams, count: 600, seed: 21)
        for index in entries.indices { entries[index].keyID = keys[entries[index].teamID]![index % 3] }
        try await store.append(entries)
        let boundaries = (0...4).map { try! Date("2026-11-14T20:00:00Z", strategy: .iso8601).addingTimeInterval(TimeInterval($0) * 86_400 - 1.5) }
        for team in [nil, teams[1]] {
            var expected: [String: UsageTotals] = [:]
            for entry in entries where team == nil || entry.teamID == team {
                guard
                    let window = boundaries.indices.dropLast().first(where: {
                        entry.occurredAt >= boundaries[$0] && entry.occurredAt < boundaries[$0 + 1]
                    })
                else { continue }
                expected[
                    "\(window)|\(entry.teamID)|\(entry.keyID.map(String.init) ?? "-")|\(entry.model?.rawValue ?? "")|\(entry.kind)",
                    default: UsageTotals()
                ] += UsageTotals(entry)
            }
            var got: [String: UsageTotals] = [:]
            for sum in try await store.keySums(across: boundaries, teamID: team) {
                got[
                    "\(sum.window)|\(sum.teamID)|\(sum.keyID.map(String.init) ?? "-")|\(sum.model?.rawValue ?? "")|\(sum.kind)",
                    default: UsageTotals()
                ] += sum.totals
            }
            #expect(got == expected)
            #expect(got.keys.contains { $0.contains("|-|") })
        }
    }
}
