import Foundation
import Testing
import TollgateCore
import TollgateLedgerPostgres

@testable import TollgateStorage

/// Runs on both engines: the outbox's unique key is what keeps alerts once per period everywhere.
@Suite("Budget alert outbox")
struct AlertOutboxTests {
    func alert(
        _ team: Team,
        _ threshold: AlertThreshold,
        month: String = "2026-11",
        spent: String = "60",
        occurredAt: Date = Fixtures.now
    ) throws -> BudgetAlert {
        let start = try Date("\(month)-01T00:00:00Z", strategy: .iso8601)
        let window = team.budget.window(at: start)
        return BudgetAlert(
            teamID: team.id,
            teamName: team.name,
            window: window,
            threshold: threshold,
            limit: team.budget.limit,
            spent: try Money(parsing: spent, .cny),
            occurredAt: occurredAt
        )
    }

    static func outbox(_ store: any ReportStore) throws -> any AlertOutbox & LedgerStore {
        try #require(store as? any AlertOutbox & LedgerStore, "every store implements the alert outbox")
    }

    @Test("an alert is claimed once per team, period and threshold, with one delivery per webhook", arguments: Engine.available)
    func claimOnce(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        defer { withExtendedLifetime(fixture) {} }
        let ledger = try Self.outbox(fixture.store)
        let team = try await ledger.createTeam(name: "research", budget: try Fixtures.budget("100"), at: Fixtures.now)
        let hooks = ["http://127.0.0.1:1/a", "http://127.0.0.1:1/b"]
        let first = try await ledger.claimAlerts([try alert(team, .percent(50))], webhooks: hooks, at: Fixtures.now)
        #expect(first.map(\.threshold) == [.percent(50)])
        let again = try await ledger.claimAlerts(
            [try alert(team, .percent(50), spent: "70"), try alert(team, .exhausted)],
            webhooks: hooks,
            at: Fixtures.now
        )
        #expect(again.map(\.threshold) == [.exhausted])
        let nextMonth = try await ledger.claimAlerts([try alert(team, .percent(50), month: "2026-12")], webhooks: hooks, at: Fixtures.now)
        #expect(nextMonth.count == 1)
        let due = try await ledger.dueAlertDeliveries(at: Fixtures.now, limit: 100)
        #expect(due.count == 6)
        #expect(Set(due.map(\.webhook)) == Set(hooks))
        // A reopened ledger (a restart) still refuses the same claim.
        let reopened = try Self.outbox(try await fixture.reopen())
        #expect(try await reopened.claimAlerts([try alert(team, .percent(50))], webhooks: hooks, at: Fixtures.now).isEmpty)
        let stored = try await reopened.budgetAlerts(teamID: team.id, limit: 10)
        #expect(stored.count == 3)
        let sixty = try Money(parsing: "60", .cny)
        #expect(stored.contains { $0.threshold == .percent(50) && $0.spent == sixty && $0.window == first[0].window })
        #expect(first[0].id == "\(team.id)-\(Int64(first[0].window.start.timeIntervalSince1970 * 1000))-50")
    }

    @Test("failed attempts wait for their retry time, then a delivery is recorded; the last failure gives up", arguments: Engine.available)
    func deliveryStates(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        defer { withExtendedLifetime(fixture) {} }
        let ledger = try Self.outbox(fixture.store)
        let team = try await ledger.createTeam(name: "research", budget: try Fixtures.budget("100"), at: Fixtures.now)
        _ = try await ledger.claimAlerts([try alert(team, .percent(80)), try alert(team, .percent(100))], webhooks: ["http://h/x"], at: Fixtures.now)
        let due = try await ledger.dueAlertDeliveries(at: Fixtures.now, limit: 100)
        #expect(due.count == 2 && due.allSatisfy { $0.attempts == 0 })
        let later = Fixtures.now.addingTimeInterval(60)
        try await ledger.recordAlertAttemptFailed(due[0].id, attempts: 1, error: "HTTP 500", retryAt: later, at: Fixtures.now)
        try await ledger.recordAlertAttemptFailed(due[1].id, attempts: 8, error: "HTTP 500", retryAt: nil, at: Fixtures.now)
        #expect(try await ledger.dueAlertDeliveries(at: Fixtures.now, limit: 100).isEmpty)
        let retried = try await ledger.dueAlertDeliveries(at: later, limit: 100)
        #expect(retried.map(\.id) == [due[0].id] && retried[0].attempts == 1)
        try await ledger.recordAlertDelivered(due[0].id, attempts: 2, at: later)
        #expect(try await ledger.dueAlertDeliveries(at: later.addingTimeInterval(3600), limit: 100).isEmpty)
    }

    @Test("a team's own thresholds are stored, turned off with [] and reset to the defaults with nil", arguments: Engine.available)
    func thresholds(engine: Engine) async throws {
        let fixture = try await StoreFixture.make(engine)
        defer { withExtendedLifetime(fixture) {} }
        let ledger = try Self.outbox(fixture.store)
        let team = try await ledger.createTeam(name: "research", budget: try Fixtures.budget(), at: Fixtures.now)
        #expect(try await ledger.alertThresholds(teamID: team.id) == nil)
        try await ledger.setAlertThresholds(teamID: team.id, [.percent(90), .exhausted], at: Fixtures.now)
        #expect(try await ledger.alertThresholds(teamID: team.id) == [.percent(90), .exhausted])
        try await ledger.setAlertThresholds(teamID: team.id, [], at: Fixtures.now)
        #expect(try await ledger.alertThresholds(teamID: team.id) == [])
        try await ledger.setAlertThresholds(teamID: team.id, nil, at: Fixtures.now)
        #expect(try await ledger.alertThresholds(teamID: team.id) == nil)
    }

    @Test(
        "migrate-to-postgres carries thresholds and claimed alerts, so nothing fires twice after the move",
        .enabled(if: Engine.available.contains(.postgres), "no local PostgreSQL could start (see the SKIPPED line)")
    )
    func copiedToPostgres() async throws {
        let source = try TemporaryLedger()
        let team = try await source.ledger.createTeam(name: "research", budget: try Fixtures.budget("100"), at: Fixtures.now)
        try await source.ledger.setAlertThresholds(teamID: team.id, [.percent(50), .exhausted], at: Fixtures.now)
        _ = try await source.ledger.claimAlerts([try alert(team, .percent(50))], webhooks: ["http://h/x"], at: Fixtures.now)
        let target = try await PostgresLedger.connect(url: try TestPostgres.server.get().createDatabase())
        _ = try await LedgerCopy.copy(from: source.ledger, to: target)
        #expect(try await target.alertThresholds(teamID: team.id) == [.percent(50), .exhausted])
        #expect(try await target.budgetAlerts(teamID: team.id, limit: 10) == (try await source.ledger.budgetAlerts(teamID: team.id, limit: 10)))
        #expect(try await target.claimAlerts([try alert(team, .percent(50))], webhooks: ["http://h/x"], at: Fixtures.now).isEmpty)
        #expect(try await target.dueAlertDeliveries(at: Fixtures.now, limit: 10).isEmpty)
    }
}
