import Foundation
import Testing
import TollgateCore
import TollgateStorage

/// `outcomeCounts` (behind `report reconcile`'s upstream refusals) on both engines.
@Suite("Outcome counts")
struct OutcomeCountTests {
    static func entry(team: Int64, model: ModelID, outcome: String, at instant: Date = Fixtures.now) throws -> LedgerEntry {
        var entry = try Fixtures.usage(team: team, model: model, input: 0, output: 0, at: instant)
        entry.outcome = outcome
        return entry
    }

    @Test("counts entries per model and outcome inside the window, only the outcomes asked for", arguments: Engine.available)
    func counts(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let team = try await fixture.store.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now).id
        try await fixture.store.append([
            try Self.entry(team: team, model: "gpt-4.1", outcome: "upstream_refused"),
            try Self.entry(team: team, model: "gpt-4.1", outcome: "upstream_refused"),
            try Self.entry(team: team, model: "gpt-4.1", outcome: "upstream_unreachable"),
            try Self.entry(team: team, model: "deepseek-v3.2", outcome: "upstream_refused"),
            try Self.entry(team: team, model: "deepseek-v3.2", outcome: "completed"),
            try Self.entry(team: team, model: "deepseek-v3.2", outcome: "upstream_refused", at: Fixtures.now.addingTimeInterval(-40 * 86_400)),
        ])
        let window = (Fixtures.now.addingTimeInterval(-86_400), Fixtures.now.addingTimeInterval(86_400))
        let counts = try await fixture.store.outcomeCounts(["upstream_refused", "upstream_unreachable"], from: window.0, to: window.1)
        #expect(
            counts == [
                OutcomeCount(model: "deepseek-v3.2", outcome: "upstream_refused", entries: 1),
                OutcomeCount(model: "gpt-4.1", outcome: "upstream_refused", entries: 2),
                OutcomeCount(model: "gpt-4.1", outcome: "upstream_unreachable", entries: 1),
            ]
        )
        #expect(try await fixture.store.outcomeCounts([], from: window.0, to: window.1).isEmpty)
    }
}
