import Foundation
import Testing
import TollgateAdmin
import TollgateCore
import TollgateStorage

@testable import TollgateGateway

/// The alert service prunes the outbox on its loop: delivered alerts past the retention go,
/// undelivered ones stay.
@Suite("Budget alert pruning by the service")
struct BudgetAlertPruneTests {
    typealias Pass = BudgetAlertPassTests

    @Test("running, the service deletes delivered alerts once past the retention and their period, and keeps undelivered ones")
    func prunesOnItsLoop() async throws {
        let (admin, outbox, folder) = try await Pass.claimedAlerts(webhooks: ["http://up.invalid/hook"])
        defer { _ = folder }
        let receivers = Pass.ScriptedReceivers(["http://up.invalid/hook": 204, "http://down.invalid/hook": nil])
        await Pass.service(admin, receivers, webhooks: []).pass(outbox)
        let stuck = try await admin.createTeam(name: "b", budget: try Budget(limit: Money(parsing: "10", .cny), period: .monthly))
        _ = try await admin.adjust(team: "b", amount: try Money(parsing: "-10", .cny), reason: "usage billed elsewhere")
        #expect(try await admin.claimReachedAlerts(teamID: stuck.id, exhausted: false, webhooks: ["http://down.invalid/hook"]).count == 3)

        // 200 days on: the month is over and the alerts are past the default 90 days. The admin
        // reads the same clock, so its sweep checks the new month (where nothing is spent yet).
        let later = Date().addingTimeInterval(200 * 86_400)
        let service = BudgetAlertService(
            admin: QuotaAdmin(store: admin.store, pricing: admin.pricing, clock: { later }),
            monitor: BudgetAlertMonitor(),
            settings: BudgetAlertSettings(),
            sender: receivers,
            clock: { later }
        )
        let running = Task { try await service.run() }
        var remaining = try await outbox.budgetAlerts(teamID: nil, limit: 100)
        for _ in 0..<100 where remaining.count != 3 {
            try await Task.sleep(for: .milliseconds(50))
            remaining = try await outbox.budgetAlerts(teamID: nil, limit: 100)
        }
        running.cancel()
        _ = try? await running.value
        #expect(remaining.count == 3, "\(remaining.map { "\($0.teamName) \($0.threshold)" })")
        #expect(remaining.allSatisfy { $0.teamID == stuck.id })
    }

    @Test("without a retention, or before it has passed, nothing is pruned")
    func keeps() async throws {
        let (admin, outbox, folder) = try await Pass.claimedAlerts(webhooks: ["http://up.invalid/hook"])
        defer { _ = folder }
        let receivers = Pass.ScriptedReceivers(["http://up.invalid/hook": 204])
        await Pass.service(admin, receivers, webhooks: []).pass(outbox)
        let later = Date().addingTimeInterval(200 * 86_400)
        let keepAll = BudgetAlertService(
            admin: admin,
            monitor: BudgetAlertMonitor(),
            settings: BudgetAlertSettings(retention: nil),
            sender: receivers,
            clock: { later }
        )
        await keepAll.prune(outbox)
        let longer = BudgetAlertService(
            admin: admin,
            monitor: BudgetAlertMonitor(),
            settings: BudgetAlertSettings(retention: .seconds(365 * 86_400)),
            sender: receivers,
            clock: { later }
        )
        await longer.prune(outbox)
        #expect(try await outbox.budgetAlerts(teamID: nil, limit: 100).count == 3)
    }
}
