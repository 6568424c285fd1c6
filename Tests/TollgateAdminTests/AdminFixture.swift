import Foundation
import TollgateAdmin
import TollgateCore
import TollgateDefaults
import TollgateLedger
import TollgateStorage

/// A `QuotaAdmin` over a fresh temporary ledger with the shipped pricing and a pinned clock.
final class AdminFixture {
    static let now = try! Date("2026-11-15T12:00:00Z", strategy: .iso8601)
    let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-admin-\(UUID().uuidString)")
    let ledger: SQLiteLedger
    let admin: QuotaAdmin

    init(pricing: PricingTable? = nil) throws {
        ledger = try SQLiteLedger(path: folder.appending(path: "ledger.sqlite").path)
        let table = try pricing ?? PricingTable.shipped()
        admin = QuotaAdmin(store: ledger, pricing: table, clock: { AdminFixture.now })
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func team(_ name: String = "research", _ amount: String = "500", _ currency: Currency = .cny) async throws -> Team {
        try await admin.createTeam(name: name, budget: try Budget(limit: Money(parsing: amount, currency), period: .monthly))
    }
}
