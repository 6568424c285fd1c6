import Foundation
import Testing
import TollgateCore

@testable import TollgateStorage

/// Runs on both engines: pruning deletes only alerts that are delivered, old, and of an ended period.
@Suite("Budget alert outbox pruning")
struct AlertPruneStoreTests {
    static func alert(_ team: Team, _ threshold: AlertThreshold, month: String, occurred: String) throws -> BudgetAlert {
        try AlertOutboxTests().alert(team, threshold, month: month, spent: "100", occurredAt: try Date(occurred, strategy: .iso8601))
    }

    @Test(
        "delivered alerts older than the retention whose period ended go with their deliveries; pending, abandoned, recent, running and never-resetting ones stay",
        arguments: Engine.available
    )
    func prune(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        let ledger = try AlertOutboxTests.outbox(fixture.store)
        let team = try await ledger.createTeam(name: "research", budget: try Fixtures.budget("100"), at: Fixtures.now)
        let forever = try await ledger.createTeam(name: "forever", budget: try Fixtures.budget("100", .cny, .total), at: Fixtures.now)
        let hooks = ["http://h/a", "http://h/b"]
        let july = "2026-07-20T00:00:00Z"
        _ = try await ledger.claimAlerts(
            [
                try Self.alert(team, .percent(50), month: "2026-07", occurred: july),  // both delivered: pruned
                try Self.alert(team, .percent(80), month: "2026-07", occurred: july),  // one pending: kept
                try Self.alert(team, .percent(100), month: "2026-07", occurred: july),  // one abandoned: kept
                try Self.alert(team, .percent(50), month: "2026-10", occurred: "2026-10-20T00:00:00Z"),  // within 90 days: kept
                try Self.alert(team, .percent(50), month: "2026-11", occurred: "2026-11-10T00:00:00Z"),  // period running: kept
                try Self.alert(forever, .percent(50), month: "2026-07", occurred: july),  // never resets: kept
            ],
            webhooks: hooks,
            at: Fixtures.now
        )
        // Claimed without a webhook: nothing to deliver, so it goes too.
        _ = try await ledger.claimAlerts([try Self.alert(team, .exhausted, month: "2026-07", occurred: july)], webhooks: [], at: Fixtures.now)
        let due = try await ledger.dueAlertDeliveries(at: Fixtures.now, limit: 100)
        #expect(due.count == 12)
        for delivery in due {
            if delivery.alert.threshold == .percent(80) && delivery.webhook == hooks[1] { continue }
            if delivery.alert.threshold == .percent(100) && delivery.webhook == hooks[1] {
                try await ledger.recordAlertAttemptFailed(delivery.id, attempts: 8, error: "HTTP 500", retryAt: nil, at: Fixtures.now)
                continue
            }
            try await ledger.recordAlertDelivered(delivery.id, attempts: 1, at: Fixtures.now)
        }
        let cutoff = Fixtures.now.addingTimeInterval(-90 * 86_400)
        #expect(try await ledger.pruneDeliveredAlerts(occurredBefore: cutoff, periodEndedBy: Fixtures.now) == 2)
        let kept = try await ledger.budgetAlerts(teamID: nil, limit: 100)
        #expect(kept.count == 5)
        #expect(!kept.contains { $0.teamID == team.id && $0.threshold == .exhausted })
        #expect(kept.filter { $0.threshold == .percent(50) }.count == 3)
        #expect(try await fixture.integer("SELECT COUNT(*) FROM budget_alert_deliveries") == 10)
        #expect(try await ledger.dueAlertDeliveries(at: Fixtures.now, limit: 100).map(\.webhook) == [hooks[1]], "the pending delivery is still due")
        #expect(try await ledger.pruneDeliveredAlerts(occurredBefore: cutoff, periodEndedBy: Fixtures.now) == 0)

        // Once the pending one is delivered, its alert goes at the next prune.
        let pending = try #require(try await ledger.dueAlertDeliveries(at: Fixtures.now, limit: 100).first)
        try await ledger.recordAlertDelivered(pending.id, attempts: 2, at: Fixtures.now)
        #expect(try await ledger.pruneDeliveredAlerts(occurredBefore: cutoff, periodEndedBy: Fixtures.now) == 1)
        #expect(try await ledger.budgetAlerts(teamID: team.id, limit: 100).count == 3)
    }
}
