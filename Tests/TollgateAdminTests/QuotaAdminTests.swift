import Foundation
import Testing
import TollgateCore

@testable import TollgateAdmin

@Suite("Team and budget administration")
struct QuotaAdminTests {
    @Test("team names must be 1-64 letters, digits, '-', '_' or '.'", arguments: ["", "has space", "semi;colon", String(repeating: "x", count: 65)])
    func badNames(_ name: String) async throws {
        let fixture = try AdminFixture()
        await #expect(throws: BudgetError.self) { try await fixture.team(name) }
        #expect(try await fixture.ledger.teams().isEmpty)
    }

    @Test("status shows spend in the current period, reserved, remaining and the reset instant")
    func status() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        _ = try await fixture.admin.adjust(team: "research", amount: try Money(parsing: "-120", .cny), reason: "manual charge")
        let status = try await fixture.admin.teamStatus("research")
        #expect(status.budget.spent.decimalString == "120.00")
        #expect(status.budget.remaining.decimalString == "380.00")
        #expect(status.budget.resetsAt == (try Date("2026-12-01T00:00:00Z", strategy: .iso8601)))
        #expect(try await fixture.admin.teamStatuses().count == 1)
    }

    @Test("set-budget changes only what is given; a currency change needs an amount")
    func setBudget() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        let team = try await fixture.admin.setBudget("research", BudgetChange(period: .weekly, onExhausted: .clamp))
        #expect(team.budget.limit.description == "500.00 CNY")
        #expect(team.budget.period == .weekly)
        #expect(team.budget.onExhausted == .clamp)
        await #expect(throws: BudgetError.self) { try await fixture.admin.setBudget("research", BudgetChange(currency: .usd)) }
        await #expect(throws: BudgetError.self) { try await fixture.admin.setBudget("research", BudgetChange()) }
        await #expect(throws: BudgetError.self) { try await fixture.admin.setBudget("research", BudgetChange(amount: "0")) }
        await #expect(throws: MoneyError.self) { try await fixture.admin.setBudget("research", BudgetChange(amount: "lots")) }
        let usd = try await fixture.admin.setBudget("research", BudgetChange(amount: "70", currency: .usd, softLimitPercent: .some(nil)))
        #expect(usd.budget.limit.description == "70.00 USD")
        #expect(try await fixture.ledger.team(named: "research").budget == usd.budget)
    }

    @Test("disable and enable")
    func disable() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        #expect(try await fixture.admin.disableTeam("research").disabled)
        #expect(try await !fixture.admin.enableTeam("research").disabled)
        await #expect(throws: BudgetError.self) { try await fixture.admin.disableTeam("nobody") }
    }

    @Test("adjustments: credit is a negative charge, converted at the relay rate; reason and non-zero amount required")
    func adjust() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team()
        let credit = try await fixture.admin.adjust(team: "research", amount: try Money(parsing: "100", .usd), reason: "welcome")
        #expect(credit.kind == .credit)
        #expect(credit.chargeUSD.decimalString == "-100.00")
        #expect(credit.chargeCNY.decimalString == "-100.00")
        #expect(credit.reason == "welcome")
        let charge = try await fixture.admin.adjust(team: "research", amount: try Money(parsing: "-5", .cny), reason: "fix")
        #expect(charge.kind == .correction)
        #expect(charge.chargeCNY.decimalString == "5.00")
        await #expect(throws: BudgetError.self) {
            try await fixture.admin.adjust(team: "research", amount: try Money(parsing: "5", .cny), reason: "  ")
        }
        await #expect(throws: BudgetError.self) { try await fixture.admin.adjust(team: "research", amount: .zero(.cny), reason: "x") }
        await #expect(throws: BudgetError.self) { try await fixture.admin.adjust(team: "nobody", amount: try Money(parsing: "5", .cny), reason: "x") }
        #expect(try await fixture.ledger.entryCount() == 2)
    }
}
