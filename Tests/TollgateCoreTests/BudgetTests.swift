import Foundation
import Testing

@testable import TollgateCore

@Suite("Budgets and periods")
struct BudgetTests {
    func instant(_ text: String) throws -> Date { try Date(text, strategy: .iso8601) }
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    @Test("monthly windows follow the calendar of the team's time zone")
    func monthly() throws {
        // 2026-11-30T17:00Z is already December 1st in Shanghai.
        let window = BudgetPeriod.monthly.window(containing: try instant("2026-11-30T17:00:00Z"), timeZone: shanghai)
        #expect(window.start == (try instant("2026-11-30T16:00:00Z")))
        #expect(window.end == (try instant("2026-12-31T16:00:00Z")))
        let utc = BudgetPeriod.monthly.window(containing: try instant("2026-11-30T17:00:00Z"), timeZone: .gmt)
        #expect(utc.start == (try instant("2026-11-01T00:00:00Z")))
        #expect(utc.end == (try instant("2026-12-01T00:00:00Z")))
    }

    @Test("weekly windows run Monday to Monday")
    func weekly() throws {
        let window = BudgetPeriod.weekly.window(containing: try instant("2026-11-25T12:00:00Z"), timeZone: .gmt)  // a Wednesday
        #expect(window.start == (try instant("2026-11-23T00:00:00Z")))
        #expect(window.end == (try instant("2026-11-30T00:00:00Z")))
    }

    @Test("daily windows, and the exact boundary belongs to the next period")
    func daily() throws {
        let boundary = try instant("2026-11-25T00:00:00Z")
        let window = BudgetPeriod.daily.window(containing: boundary, timeZone: .gmt)
        #expect(window.start == boundary)
        #expect(window.contains(boundary))
        #expect(!window.contains(try instant("2026-11-26T00:00:00Z")))
    }

    @Test("a total budget never resets")
    func total() throws {
        let window = BudgetPeriod.total.window(containing: Date(), timeZone: .gmt)
        #expect(window.end == nil)
        #expect(window.contains(Date.distantPast))
    }

    @Test("budgets refuse zero, negative and out-of-range soft limits")
    func validation() throws {
        #expect(throws: BudgetError.self) { try Budget(limit: .zero(.cny), period: .monthly) }
        #expect(throws: BudgetError.self) { try Budget(limit: Money(nanos: -1, .cny), period: .monthly) }
        #expect(throws: BudgetError.self) { try Budget(limit: Money(nanos: 1, .cny), period: .monthly, softLimitPercent: 0) }
        #expect(throws: BudgetError.self) { try Budget(limit: Money(nanos: 1, .cny), period: .monthly, softLimitPercent: 101) }
        #expect(throws: BudgetError.self) { try BudgetPeriod(name: "yearly") }
        #expect(throws: BudgetError.self) { try ExhaustionPolicy(name: "ignore") }
        #expect(try BudgetPeriod(name: "Weekly") == .weekly)
    }

    @Test("status: available never negative, remaining may be, percent used to two places")
    func status() throws {
        let limit = try Money(parsing: "500", .cny)
        let window = PeriodWindow(start: .distantPast, end: nil)
        let status = BudgetStatus(limit: limit, spent: try Money(parsing: "431.5", .cny), reserved: try Money(parsing: "100", .cny), window: window)
        #expect(status.available == .zero(.cny))
        #expect(status.remaining.decimalString == "68.50")
        #expect(NanoDecimal.format(status.percentUsedNanos) == "86.30")
        let over = BudgetStatus(limit: limit, spent: try Money(parsing: "600", .cny), reserved: .zero(.cny), window: window)
        #expect(over.remaining.decimalString == "-100.00")
        #expect(over.resetsAt == nil)
    }
}
