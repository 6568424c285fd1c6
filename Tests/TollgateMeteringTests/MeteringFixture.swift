import Foundation
import TollgateCore
import TollgateDefaults
import TollgateLedger
import TollgateStorage

/// A temporary ledger with one team and helpers to hold and settle streams against it.
final class MeteringFixture {
    static let pricing = try! PricingTable.shipped()
    let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-metering-\(UUID().uuidString)")
    let ledger: SQLiteLedger
    let team: Team

    init(budget: String = "10") async throws {
        ledger = try SQLiteLedger(path: folder.appending(path: "ledger.sqlite").path)
        team = try await ledger.createTeam(name: "t", budget: try Budget(limit: Money(parsing: budget, .cny), period: .total), at: Date())
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func hold(_ id: String, at instant: Date = Date(), lease: TimeInterval = 30) async throws {
        let draft = ReservationDraft(
            id: id,
            teamID: team.id,
            keyID: nil,
            model: "deepseek-v3.2",
            priceVersion: "2025-10-01",
            fxVersion: "fx-2025-10-01",
            prompt: try TokenUsage(inputTokens: 100, outputTokens: 0),
            tokenSource: .tokenizer,
            occurredAt: instant,
            leaseExpiresAt: instant.addingTimeInterval(lease)
        )
        _ = try await ledger.reserve(draft) { _, _ in .admitted(hold: Money(nanos: 1_000_000, .cny), maxOutputTokens: 100) }
    }

    func settlement(_ id: String, output: Int, at instant: Date = Date()) throws -> LedgerCommit.Settlement {
        let usage = try TokenUsage(inputTokens: 100, outputTokens: output)
        return .init(
            reservationID: id,
            entry: .usage(
                teamID: team.id,
                requestID: id,
                model: "deepseek-v3.2",
                usage: usage,
                valuation: try Self.pricing.valuation(of: usage, model: "deepseek-v3.2", at: instant),
                tokenSource: .tokenizer,
                outcome: "completed",
                occurredAt: instant,
                recordedAt: instant
            )
        )
    }
}
