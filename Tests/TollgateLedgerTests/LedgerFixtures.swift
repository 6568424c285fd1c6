import Foundation
import TollgateCore
import TollgateDefaults

@testable import TollgateLedger
@testable import TollgateStorage

/// A fresh ledger file per test, removed when the fixture goes away.
final class TemporaryLedger {
    let folder: URL
    let ledger: SQLiteLedger

    init() throws {
        folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-test-\(UUID().uuidString)")
        ledger = try SQLiteLedger(path: folder.appending(path: "ledger.sqlite").path)
    }

    var path: String { ledger.path }

    deinit { try? FileManager.default.removeItem(at: folder) }
}

enum Fixtures {
    static let pricing = try! PricingTable.shipped()
    static let now = try! Date("2026-11-15T12:00:00Z", strategy: .iso8601)

    static func budget(_ amount: String = "500", _ currency: Currency = .cny, _ period: BudgetPeriod = .monthly) throws -> Budget {
        try Budget(limit: Money(parsing: amount, currency), period: period)
    }

    static func usage(
        team: Int64,
        model: ModelID = "gpt-4.1",
        input: Int = 1000,
        output: Int = 500,
        at instant: Date = now,
        requestID: String? = nil
    ) throws -> LedgerEntry {
        let usage = try TokenUsage(inputTokens: input, outputTokens: output)
        return .usage(
            teamID: team,
            requestID: requestID,
            model: model,
            usage: usage,
            valuation: try pricing.valuation(of: usage, model: model, at: instant),
            tokenSource: .tokenizer,
            outcome: "completed",
            occurredAt: instant,
            recordedAt: instant
        )
    }
}
