import Foundation
import Synchronization
import Testing
import TollgateAdmin
import TollgateCore
import TollgateDefaults
import TollgateLedger
import TollgateStorage

@testable import TollgateGateway

/// One delivery pass of `BudgetAlertService` against scripted receivers, without a gateway.
@Suite("Budget alert delivery passes")
struct BudgetAlertPassTests {
    /// Answers each webhook with a scripted status, or no answer at all; records every post.
    final class ScriptedReceivers: AlertWebhookSending {
        struct NoAnswer: Error {}
        let answers: [String: Int?]
        private let posts = Mutex<[String]>([])

        init(_ answers: [String: Int?]) { self.answers = answers }

        var posted: [String] { posts.withLock { $0 } }

        func post(_ body: Data, to url: String, headers: [(String, String)], timeout: Duration) async throws -> Int {
            posts.withLock { $0.append(url) }
            guard let answer = answers[url] ?? nil else { throw NoAnswer() }
            return answer
        }
    }

    /// A ledger whose team has crossed 50 %, 80 % and 100 %: three alerts, one delivery each per webhook.
    static func claimedAlerts(webhooks: [String]) async throws -> (QuotaAdmin, any AlertOutbox, TemporaryFolder) {
        let folder = TemporaryFolder()
        let admin = QuotaAdmin(store: try SQLiteLedger(path: folder.url.appending(path: "ledger.sqlite").path), pricing: try PricingTable.shipped())
        let team = try await admin.createTeam(name: "a", budget: try Budget(limit: Money(parsing: "10", .cny), period: .monthly))
        _ = try await admin.adjust(team: "a", amount: try Money(parsing: "-10", .cny), reason: "usage billed elsewhere")
        #expect(try await admin.claimReachedAlerts(teamID: team.id, exhausted: false, webhooks: webhooks).count == 3)
        return (admin, admin.store, folder)
    }

    static func service(_ admin: QuotaAdmin, _ receivers: ScriptedReceivers, webhooks: [String]) -> BudgetAlertService {
        BudgetAlertService(admin: admin, monitor: BudgetAlertMonitor(), settings: BudgetAlertSettings(webhooks: webhooks), sender: receivers)
    }

    @Test(
        "a receiver that doesn't answer (or answers 5xx, 408, 429) ends its webhook's pass; the others behind it keep their attempts",
        arguments: [nil, 503, 408, 429] as [Int?]
    )
    func downReceiverEndsItsPass(answer: Int?) async throws {
        let webhooks = ["http://down.invalid/hook", "http://up.invalid/hook"]
        let (admin, outbox, folder) = try await Self.claimedAlerts(webhooks: webhooks)
        defer { _ = folder }
        let receivers = ScriptedReceivers([webhooks[0]: answer, webhooks[1]: 204])
        await Self.service(admin, receivers, webhooks: webhooks).pass(outbox)
        #expect(receivers.posted.filter { $0 == webhooks[0] }.count == 1, "one try at the receiver that is down")
        #expect(receivers.posted.filter { $0 == webhooks[1] }.count == 3, "the healthy receiver gets all three")
        let pending = try await outbox.dueAlertDeliveries(at: Date().addingTimeInterval(86_400), limit: 10)
        #expect(pending.map(\.webhook) == Array(repeating: webhooks[0], count: 3))
        #expect(pending.map(\.attempts).sorted() == [0, 0, 1])
    }

    @Test("a receiver that refuses one alert (4xx) still gets the others in the same pass")
    func refusalIsPerAlert() async throws {
        let webhooks = ["http://picky.invalid/hook"]
        let (admin, outbox, folder) = try await Self.claimedAlerts(webhooks: webhooks)
        defer { _ = folder }
        let receivers = ScriptedReceivers([webhooks[0]: 400])
        await Self.service(admin, receivers, webhooks: webhooks).pass(outbox)
        #expect(receivers.posted.count == 3)
        let pending = try await outbox.dueAlertDeliveries(at: Date().addingTimeInterval(86_400), limit: 10)
        #expect(pending.map(\.attempts) == [1, 1, 1])
    }
}

/// A temporary folder removed when the last reference goes away.
final class TemporaryFolder: Sendable {
    let url = FileManager.default.temporaryDirectory.appending(path: "tollgate-alert-pass-\(UUID().uuidString)")
    deinit { try? FileManager.default.removeItem(at: url) }
}
