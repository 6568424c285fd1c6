import Foundation
import TollgateCore
import TollgateLedger
import TollgateStorage

extension GatewayHarness {
    /// Writes what two 9,000,000,000 credits wrote before amounts were bounded: a team whose
    /// entries add up past `Int64`, so every sum over them overflows.
    func overflowLedger(ofTeam name: String) async throws {
        let team = try await ledger.team(named: name)
        for _ in 0..<2 {
            try await ledger.append([
                .adjustment(
                    kind: .credit,
                    teamID: team.id,
                    chargeUSD: Money(nanos: -9_000_000_000_000_000_000, .usd),
                    chargeCNY: Money(nanos: -9_000_000_000_000_000_000, .cny),
                    fxVersion: "fx-2025-10-01",
                    reason: "typo",
                    at: Date()
                )
            ])
        }
    }
}
