import Foundation
import TollgateAdmin
import TollgateCore
import TollgateStorage

/// What an admin command needs: the opened ledger and the pricing table, behind `QuotaAdmin`.
struct CommandContext {
    let ledger: any LedgerDatabase
    let pricing: PricingTable
    let admin: QuotaAdmin

    init(_ ledgerOptions: LedgerOptions, _ pricingOptions: PricingOptions) async throws {
        pricing = try pricingOptions.load()
        ledger = try await ledgerOptions.open()
        admin = QuotaAdmin(store: ledger, pricing: pricing)
    }
}

/// Formatting shared by commands.
enum Show {
    /// `2026-12-01T00:00:00+08:00` in the given zone.
    static func instant(_ date: Date?, in zone: TimeZone = .gmt) -> String {
        guard let date else { return "never" }
        var style = Date.ISO8601FormatStyle(timeZone: zone)
        style = style.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .colon)
        return date.formatted(style)
    }

    static func amount(_ money: Money) -> Cell { .amount(money.decimalString) }
}
