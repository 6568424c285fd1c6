import Foundation
import Testing
import TollgateCore
import TollgateStorage

@testable import TollgateMetering

@Suite("Lease reclaim")
struct LeaseReclaimerTests {
    @Test("only expired holds are reclaimed, billed from their last durable progress at admission prices")
    func reclaimExpired() async throws {
        let fixture = try await MeteringFixture()
        let past = Date().addingTimeInterval(-60)
        try await fixture.hold("dead", at: past, lease: 5)
        try await fixture.hold("alive", lease: 600)
        var progress = LedgerCommit(leaseExpiresAt: past.addingTimeInterval(5))
        progress.progress = [.init(reservationID: "dead", outputTokens: 1_000_000, at: past)]
        _ = try await fixture.ledger.commit(progress)
        let entries = try await LeaseReclaimer(store: fixture.ledger, pricing: MeteringFixture.pricing).reclaim()
        let entry = try #require(entries.first)
        #expect(entries.count == 1)
        #expect(entry.requestID == "dead")
        #expect(entry.usage.outputTokens == 1_000_000)
        #expect(entry.chargeUSD.decimalString == "0.420028")  // 1M × $0.42 + 100 × $0.28/M
        #expect(entry.priceVersion == "2025-10-01")
        #expect(entry.occurredAt.timeIntervalSince1970.rounded() == past.timeIntervalSince1970.rounded())
        #expect(try await fixture.ledger.openReservations(teamID: nil).map(\.draft.id) == ["alive"])
        #expect(try await LeaseReclaimer(store: fixture.ledger, pricing: MeteringFixture.pricing).reclaim().isEmpty)
    }
}
