import Foundation
import TollgateCore

extension LedgerEntry {
    /// Rebuilds an entry as a store read it back, every field as stored (for stores in other modules).
    package static func stored(
        id: Int64?,
        kind: Kind,
        teamID: Int64,
        keyID: Int64?,
        requestID: String?,
        model: ModelID?,
        usage: TokenUsage,
        localInputTokens: Int?,
        localOutputTokens: Int?,
        tokenSource: TokenSource?,
        outcome: String?,
        admission: String?,
        priceVersion: String?,
        fxVersion: String?,
        chargeUSD: Money,
        chargeCNY: Money,
        officialUSD: Money,
        baselineCNY: Money,
        reason: String?,
        occurredAt: Date,
        recordedAt: Date,
        usageCheck: UsageCheck? = nil,
        overrunNanos: Int64? = nil
    ) -> LedgerEntry {
        LedgerEntry(
            id: id,
            kind: kind,
            teamID: teamID,
            keyID: keyID,
            requestID: requestID,
            model: model,
            usage: usage,
            localInputTokens: localInputTokens,
            localOutputTokens: localOutputTokens,
            tokenSource: tokenSource,
            outcome: outcome,
            admission: admission,
            priceVersion: priceVersion,
            fxVersion: fxVersion,
            chargeUSD: chargeUSD,
            chargeCNY: chargeCNY,
            officialUSD: officialUSD,
            baselineCNY: baselineCNY,
            reason: reason,
            occurredAt: occurredAt,
            recordedAt: recordedAt,
            usageCheck: usageCheck,
            overrunNanos: overrunNanos
        )
    }
}
