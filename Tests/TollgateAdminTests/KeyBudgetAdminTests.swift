import Foundation
import Testing
import TollgateCore

@testable import TollgateAdmin

@Suite("Per-key budgets through QuotaAdmin")
struct KeyBudgetAdminTests {
    @Test("a key created with a budget carries it in the team's currency and the team's period unless given one")
    func createWithBudget() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        let plain = try await fixture.admin.createKey(team: "research", label: nil, budget: "50")
        #expect(plain.record.budget == (try KeyBudget(limit: Money(parsing: "50", .cny), period: .monthly)))
        let daily = try await fixture.admin.createKey(team: "research", label: nil, budget: "5", period: .daily)
        #expect(daily.record.budget?.period == .daily)
        #expect(try await fixture.admin.authenticate(daily.secret).key.budget?.limit.decimalString == "5.00")
    }

    @Test("a bad amount or a period without an amount creates no key; set-budget changes, keeps the period, removes")
    func errorsAndChanges() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        for (amount, period) in [("0", BudgetPeriod?.none), ("-3", nil), ("ten", nil), (nil, .daily)] as [(String?, BudgetPeriod?)] {
            await #expect(throws: (any Error).self) {
                try await fixture.admin.createKey(team: "research", label: nil, budget: amount, period: period)
            }
        }
        #expect(try await fixture.admin.listKeys(team: "research").isEmpty)
        let key = try await fixture.admin.createKey(team: "research", label: nil, budget: "5", period: .weekly).record
        #expect(try await fixture.admin.setKeyBudget(prefix: key.prefix, amount: "7").budget?.period == .weekly)
        #expect(try await fixture.admin.setKeyBudget(prefix: key.prefix, amount: nil).budget == nil)
        let unknown = await #expect(throws: BudgetError.self) { try await fixture.admin.setKeyBudget(prefix: "tg_nothere", amount: "1") }
        #expect(unknown?.code == .invalidKey)
        let periodOnly = await #expect(throws: BudgetError.self) {
            try await fixture.admin.setKeyBudget(prefix: key.prefix, amount: nil, period: .daily)
        }
        #expect(periodOnly?.description.contains("needs a budget amount") == true)
    }
}
