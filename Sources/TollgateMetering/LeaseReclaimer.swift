import Foundation
import TollgateCore
import TollgateStorage

/// Settles the holds of streams whose process died: each expired hold is billed from its last
/// durable progress (prompt + output recorded), at the versions stamped at admission, and released.
public struct LeaseReclaimer: Sendable {
    /// The ledger holding the reservations.
    public let store: any LedgerStore
    /// Prices used to value what the dead streams delivered: the table in force when it runs (a
    /// reload only adds versions and models, so the versions stamped at admission still price the same).
    public var pricing: PricingTable { livePricing.table }
    /// The table in force, swapped by `serve`'s reload.
    public let livePricing: LivePricing
    /// Where reclaimed settlements are counted (outcome `reclaimed`), with their tokens and cost.
    public let metrics: MeteringMetrics

    /// Creates a reclaimer.
    public init(store: any LedgerStore, pricing: PricingTable, metrics: MeteringMetrics = MeteringMetrics()) {
        self.init(store: store, livePricing: LivePricing(pricing), metrics: metrics)
    }

    /// Creates a reclaimer reading the table in force at each run.
    public init(store: any LedgerStore, livePricing: LivePricing, metrics: MeteringMetrics = MeteringMetrics()) {
        self.store = store
        self.livePricing = livePricing
        self.metrics = metrics
    }

    /// Reclaims every hold whose lease lapsed before `instant`; returns the entries written.
    @discardableResult
    public func reclaim(at instant: Date = Date()) async throws -> [LedgerEntry] {
        let pricing = self.pricing
        let entries = try await store.reclaimExpired(at: instant) { open in
            let usage = open.usageSoFar
            return LedgerEntry.usage(
                teamID: open.draft.teamID,
                keyID: open.draft.keyID,
                requestID: open.draft.id,
                model: open.draft.model,
                usage: usage,
                valuation: try pricing.valuation(of: usage, model: open.draft.model, at: open.draft.occurredAt),
                tokenSource: open.draft.tokenSource,
                outcome: StreamOutcome.reclaimed.rawValue,
                occurredAt: open.draft.occurredAt,
                recordedAt: instant,
                localInputTokens: open.draft.prompt.inputTokens,
                localOutputTokens: usage.outputTokens,
                admission: open.admission
            )
        }
        await count(entries)
        return entries
    }

    private func count(_ entries: [LedgerEntry]) async {
        for entry in entries {
            guard let model = entry.model?.rawValue else { continue }
            // A team the ledger can't name right now still counts, under the overflow label.
            let team = metrics.teamLabel((try? await store.team(id: entry.teamID).name) ?? TeamLabels.overflow)
            metrics.counter(.settlements, team, model, StreamOutcome.reclaimed.rawValue).increment()
            metrics.usage(
                team: team,
                model: model,
                usage: entry.usage,
                valuation: Valuation(
                    priceVersion: entry.priceVersion ?? "",
                    fxVersion: entry.fxVersion ?? "",
                    relayUSD: entry.chargeUSD,
                    officialUSD: entry.officialUSD,
                    paidCNY: entry.chargeCNY,
                    baselineCNY: entry.baselineCNY
                )
            )
        }
    }
}
