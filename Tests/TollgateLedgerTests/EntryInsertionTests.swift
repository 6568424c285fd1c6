import Foundation
import Testing
import TollgateCore

@testable import TollgateStorage

/// The SQLite append binds several rows per statement from one shared text buffer; these check
/// that every batch size lands every field of every row, in order, and that a refusal anywhere
/// in a block still writes nothing.
@Suite("Entry insertion in multi-row blocks (SQLite)")
struct EntryInsertionTests {
    /// Sizes around each block boundary (128, 16, 1) and mixes of all three.
    static let batchSizes = [1, 2, 15, 16, 17, 127, 128, 129, 144, 145, 300]

    @Test("every batch size stores every field of every entry, in order", arguments: batchSizes)
    func roundTrip(count: Int) async throws {
        let fixture = try TemporaryLedger()
        let ledger = fixture.ledger
        let team = try await ledger.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        let entries = try (0..<count).map { try Self.entry(number: $0, team: team.id) }
        try await ledger.append(entries)
        let stored = try await ledger.entries(teamID: team.id, from: nil, to: nil, limit: count + 1)
        #expect(stored.count == count)
        for (original, read) in zip(entries, stored) {
            var read = read
            read.id = nil
            #expect(read == original)
        }
    }

    @Test("empty text stays empty and missing text stays NULL, in every column position")
    func emptyVersusNull() async throws {
        let fixture = try TemporaryLedger()
        let ledger = fixture.ledger
        let team = try await ledger.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        var empty = try Fixtures.usage(team: team.id)
        empty.outcome = ""
        empty.admission = ""
        var correction = LedgerEntry.adjustment(
            kind: .correction,
            teamID: team.id,
            chargeUSD: .zero(.usd),
            chargeCNY: .zero(.cny),
            fxVersion: "",
            reason: "",
            at: Fixtures.now
        )
        correction.requestID = ""
        try await ledger.append([empty, correction])
        let stored = try await ledger.entries(teamID: team.id, from: nil, to: nil, limit: 10)
        #expect(stored.map(\.outcome) == ["", nil])
        #expect(stored.map(\.admission) == ["", nil])
        #expect(stored.map(\.reason) == [nil, ""])
        #expect(stored.map(\.requestID) == [nil, ""])
        #expect(stored.map(\.fxVersion) == [empty.fxVersion, ""])
    }

    @Test("a duplicate request id inside any block refuses the whole batch", arguments: [5, 130, 140, 299])
    func refusalInsideBlock(position: Int) async throws {
        let fixture = try TemporaryLedger()
        let ledger = fixture.ledger
        let team = try await ledger.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        try await ledger.append([try Fixtures.usage(team: team.id, requestID: "taken")])
        var entries = try (0..<300).map { try Self.entry(number: $0, team: team.id) }
        entries[position].requestID = "taken"
        await #expect(throws: LedgerError.self) { try await ledger.append(entries) }
        #expect(try await ledger.entryCount() == 1)
        let kept = try await ledger.entries(teamID: team.id, from: nil, to: nil, limit: 10)
        #expect(kept.map(\.requestID) == ["taken"])
    }

    /// An entry whose every field depends on `number`, with unicode and quotes in the text.
    static func entry(number: Int, team: Int64) throws -> LedgerEntry {
        let models: [ModelID] = ["gpt-4.1", "claude-sonnet-4.5", "gemini-2.5-flash", "deepseek-v3.2"]
        let instant = Fixtures.now.addingTimeInterval(TimeInterval(number))
        if number % 7 == 3 {
            return .adjustment(
                kind: number % 2 == 0 ? .credit : .correction,
                teamID: team,
                chargeUSD: Money(nanos: -Int64(number) * 1_000, .usd),
                chargeCNY: Money(nanos: -Int64(number) * 7_300, .cny),
                fxVersion: "relay",
                reason: "退款 #\(number) for \"overcharge\" 💸",
                at: instant
            )
        }
        let model = models[number % models.count]
        let usage = try TokenUsage(inputTokens: number * 3, cachedInputTokens: number, outputTokens: number * 2 + 1)
        return .usage(
            teamID: team,
            requestID: number % 3 == 0 ? nil : "req-\(number)-ü",
            model: model,
            usage: usage,
            valuation: try Fixtures.pricing.valuation(of: usage, model: model, at: instant),
            tokenSource: number % 2 == 0 ? .tokenizer : .upstream,
            outcome: number % 5 == 0 ? "cut_off" : "completed",
            occurredAt: instant,
            recordedAt: instant.addingTimeInterval(0.25),
            localInputTokens: number % 4 == 0 ? nil : number,
            localOutputTokens: number % 4 == 0 ? nil : number + 1,
            admission: number % 6 == 0 ? nil : "reserved"
        )
    }
}
