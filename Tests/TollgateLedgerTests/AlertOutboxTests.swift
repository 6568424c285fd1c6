import Foundation
import Testing
import TollgateCore
@testable import TollgateLedger

@Suite("Budget alert outbox")
struct AlertOutboxTests {
    func alert(_ team: Team, _ threshold: AlertThreshold, month: String = "2026-11", spent: String = "60") throws -> BudgetAlert {
        let start = try Date("\(month)-01T00:00:00Z", strategy: .iso8601)
        let window = team.budget.window(at: start)
        return BudgetAlert(teamID: team.id, teamName: team.name, window: window, threshold: threshold, limit: team.budget.limit,
                           spent: try Money(parsing: spent, .cny), occurredAt: Fixtures.now)
    }

    @Test("an alert is claimed once per team, period and threshold, with one delivery per webhook")
    func claimOnce() async throws {
        let fixture = try TemporaryLedger()
        let team = try await fixture.ledger.createTeam(name: "research", budget: try Fixtures.budget("100"), at: Fixtures.now)
        let hooks = ["http://127.0.0.1:1/a", "http://127.0.0.1:1/b"]
        let first = try await fixture.ledger.claimAlerts([try alert(team, .percent(50))], webhooks: hooks, at: Fixtures.now)
        #expect(first.map(\.threshold) == [.percent(50)])
        let again = try await fixture.ledger.claimAlerts([try alert(team, .percent(50), spent: "70"), try alert(team, .exhausted)], webhooks: hooks, at: Fixtures.now)
        #expect(again.map(\.threshold) == [.exhausted])
        let nextMonth = try await fixture.ledger.claimAlerts([try alert(team, .percent(50), month: "2026-12")], webhooks: hooks, at: Fixtures.now)
        #expect(nextMonth.count == 1)
        let due = try await fixture.ledger.dueAlertDeliveries(at: Fixtures.now, limit: 100)
        #expect(due.count == 6)
        #expect(Set(due.map(\.webhook)) == Set(hooks))
        // A reopened ledger (a restart) still refuses the same claim.
        let reopened = try SQLiteLedger(path: fixture.path)
        #expect(try await reopened.claimAlerts([try alert(team, .percent(50))], webhooks: hooks, at: Fixtures.now).isEmpty)
        let stored = try await reopened.budgetAlerts(teamID: team.id, limit: 10)
        #expect(stored.count == 3)
        let sixty = try Money(parsing: "60", .cny)
        #expect(stored.contains { $0.threshold == .percent(50) && $0.spent == sixty && $0.window == first[0].window })
        #expect(first[0].id == "\(team.id)-\(Int64(first[0].window.start.timeIntervalSince1970 * 1000))-50")
    }

    @Test("failed attempts wait for their retry time, then a delivery is recorded; the last failure gives up")
    func deliveryStates() async throws {
        let fixture = try TemporaryLedger()
        let team = try await fixture.ledger.createTeam(name: "research", budget: try Fixtures.budget("100"), at: Fixtures.now)
        _ = try await fixture.ledger.claimAlerts([try alert(team, .percent(80)), try alert(team, .percent(100))], webhooks: ["http://h/x"], at: Fixtures.now)
        let due = try await fixture.ledger.dueAlertDeliveries(at: Fixtures.now, limit: 100)
        #expect(due.count == 2 && due.allSatisfy { $0.attempts == 0 })
        let later = Fixtures.now.addingTimeInterval(60)
        try await fixture.ledger.recordAlertAttemptFailed(due[0].id, attempts: 1, error: "HTTP 500", retryAt: later, at: Fixtures.now)
        try await fixture.ledger.recordAlertAttemptFailed(due[1].id, attempts: 8, error: "HTTP 500", retryAt: nil, at: Fixtures.now)
        #expect(try await fixture.ledger.dueAlertDeliveries(at: Fixtures.now, limit: 100).isEmpty)
        let retried = try await fixture.ledger.dueAlertDeliveries(at: later, limit: 100)
        #expect(retried.map(\.id) == [due[0].id] && retried[0].attempts == 1)
        try await fixture.ledger.recordAlertDelivered(due[0].id, attempts: 2, at: later)
        #expect(try await fixture.ledger.dueAlertDeliveries(at: later.addingTimeInterval(3600), limit: 100).isEmpty)
    }

    @Test("a team's own thresholds are stored, turned off with [] and reset to the defaults with nil")
    func thresholds() async throws {
        let fixture = try TemporaryLedger()
        let team = try await fixture.ledger.createTeam(name: "research", budget: try Fixtures.budget(), at: Fixtures.now)
        #expect(try await fixture.ledger.alertThresholds(teamID: team.id) == nil)
        try await fixture.ledger.setAlertThresholds(teamID: team.id, [.percent(90), .exhausted], at: Fixtures.now)
        #expect(try await fixture.ledger.alertThresholds(teamID: team.id) == [.percent(90), .exhausted])
        try await fixture.ledger.setAlertThresholds(teamID: team.id, [], at: Fixtures.now)
        #expect(try await fixture.ledger.alertThresholds(teamID: team.id) == [])
        try await fixture.ledger.setAlertThresholds(teamID: team.id, nil, at: Fixtures.now)
        #expect(try await fixture.ledger.alertThresholds(teamID: team.id) == nil)
    }
}
