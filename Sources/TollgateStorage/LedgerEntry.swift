import Foundation
import TollgateCore

/// One append-only line of the ledger: a usage charge, a credit or a correction.
///
/// Charges are signed: usage is positive, a credit negative. Each entry stores its charge in both
/// currencies (through the FX version stamped on it) so a budget in either currency is one `SUM`.
public struct LedgerEntry: Hashable, Sendable {
    /// What kind of line this is.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Tokens used through the relay.
        case usage
        /// Money given back to a team (negative charge).
        case credit
        /// A manual fix of an earlier charge (either sign).
        case correction
    }

    /// Storage id; `nil` until appended.
    public var id: Int64?
    /// The line's kind.
    public var kind: Kind
    /// The team charged or credited.
    public var teamID: Int64
    /// The key used, for usage through the gateway.
    public var keyID: Int64?
    /// Idempotency key: a request is never billed twice.
    public var requestID: String?
    /// The model, for usage.
    public var model: ModelID?
    /// Tokens billed.
    public var usage: TokenUsage
    /// Tokens Tollgate counted itself, kept next to upstream-reported ones for reconciliation.
    public var localInputTokens: Int?
    /// Output tokens Tollgate counted itself.
    public var localOutputTokens: Int?
    /// Where `usage` comes from.
    public var tokenSource: TokenSource?
    /// How the stream ended (`completed`, `cut_off`, ...), for usage.
    public var outcome: String?
    /// How admission let the request in (`admitted`, `clamped`, `soft_overrun`), for metered usage.
    public var admission: String?
    /// Price version that valued the usage.
    public var priceVersion: String?
    /// FX version that converted it.
    public var fxVersion: String?
    /// Signed charge in list USD.
    public var chargeUSD: Money
    /// Signed charge in CNY (what the team pays).
    public var chargeCNY: Money
    /// Official list USD of the same usage (zero for credits).
    public var officialUSD: Money
    /// Baseline CNY of the same usage (zero for credits).
    public var baselineCNY: Money
    /// Why a credit or correction was made (required for them).
    public var reason: String?
    /// When the usage happened.
    public var occurredAt: Date
    /// When the entry was written.
    public var recordedAt: Date
    /// How settlement judged the upstream's usage report, when it didn't simply trust it.
    public var usageCheck: UsageCheck? = nil
    /// For `usageCheck == .overrun`: how far the charge went past the hold at settlement, in nanos
    /// of the hold's (the budget's) currency.
    public var overrunNanos: Int64? = nil

    /// Creates a usage entry from a valuation, charging it in full.
    public static func usage(
        teamID: Int64,
        keyID: Int64? = nil,
        requestID: String? = nil,
        model: ModelID,
        usage: TokenUsage,
        valuation: Valuation,
        tokenSource: TokenSource,
        outcome: String,
        occurredAt: Date,
        recordedAt: Date,
        localInputTokens: Int? = nil,
        localOutputTokens: Int? = nil,
        admission: String? = nil
    ) -> LedgerEntry {
        LedgerEntry(
            id: nil,
            kind: .usage,
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
            priceVersion: valuation.priceVersion,
            fxVersion: valuation.fxVersion,
            chargeUSD: valuation.relayUSD,
            chargeCNY: valuation.paidCNY,
            officialUSD: valuation.officialUSD,
            baselineCNY: valuation.baselineCNY,
            reason: nil,
            occurredAt: occurredAt,
            recordedAt: recordedAt
        )
    }

    /// Creates a credit or correction: `chargeUSD`/`chargeCNY` are the signed charge in both currencies.
    public static func adjustment(
        kind: Kind,
        teamID: Int64,
        chargeUSD: Money,
        chargeCNY: Money,
        fxVersion: String,
        reason: String,
        at instant: Date
    ) -> LedgerEntry {
        precondition(kind != .usage, "adjustments are credits or corrections")
        return LedgerEntry(
            id: nil,
            kind: kind,
            teamID: teamID,
            keyID: nil,
            requestID: nil,
            model: nil,
            usage: .zero,
            localInputTokens: nil,
            localOutputTokens: nil,
            tokenSource: nil,
            outcome: nil,
            admission: nil,
            priceVersion: nil,
            fxVersion: fxVersion,
            chargeUSD: chargeUSD,
            chargeCNY: chargeCNY,
            officialUSD: .zero(.usd),
            baselineCNY: .zero(.cny),
            reason: reason,
            occurredAt: instant,
            recordedAt: instant
        )
    }

    /// Marks a usage entry with the settlement's judgement of the upstream's usage report.
    public func checked(_ check: UsageCheck?, overrunNanos: Int64? = nil) -> LedgerEntry {
        var entry = self
        entry.usageCheck = check
        entry.overrunNanos = overrunNanos
        return entry
    }

    /// The signed charge in `currency`.
    public func charge(in currency: Currency) -> Money { currency == .usd ? chargeUSD : chargeCNY }
}
