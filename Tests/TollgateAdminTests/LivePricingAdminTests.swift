import Foundation
import Synchronization
import Testing
import TollgateAdmin
import TollgateCore
import TollgateDefaults

@Suite("An admin over a pricing table that changes while it runs")
struct LivePricingAdminTests {
    /// The shipped table plus an FX version from 2026-11-01 at 2 CNY per USD on the relay.
    static func reloaded() throws -> PricingTable {
        let fx = PricingFile(
            path: "fx/2026-11-01.json",
            contents: """
                { "version": "fx-2026-11-01", "effective_from": "2026-11-01T00:00:00Z", "supersedes": "fx-2025-10-01",
                  "source": "test", "cny_per_usd": { "relay": "2", "baseline": "7.3" } }
                """
        )
        return try PricingTable.load(ShippedData.pricingTableFiles + [fx])
    }

    @Test("an adjustment converts at the table in force when it is made: a reload between two credits changes the second's rate")
    func adjustmentFollowsReload() async throws {
        let fixture = try AdminFixture()
        _ = try await fixture.team("research", "500", .cny)
        let table = Mutex(try PricingTable.shipped())
        let admin = QuotaAdmin(store: fixture.ledger, currentPricing: { table.withLock { $0 } }, clock: { AdminFixture.now })
        let before = try await admin.adjust(team: "research", amount: try Money(parsing: "10", .usd), reason: "before the reload")
        #expect(before.chargeCNY == (try Money(parsing: "-10", .cny)) && before.fxVersion == "fx-2025-10-01")
        let reloaded = try Self.reloaded()
        table.withLock { $0 = reloaded }
        let after = try await admin.adjust(team: "research", amount: try Money(parsing: "10", .usd), reason: "after the reload")
        #expect(after.chargeCNY == (try Money(parsing: "-20", .cny)) && after.fxVersion == "fx-2026-11-01")
        #expect(admin.pricing.fxVersions.count == 2)
    }
}
