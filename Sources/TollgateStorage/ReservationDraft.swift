import Foundation
import TollgateCore

/// What a stream asks the ledger to hold money for, decided at admission.
public struct ReservationDraft: Hashable, Sendable {
    /// Unique id of the request; the settlement entry carries it as `request_id`.
    public var id: String
    /// The team whose budget holds the money.
    public var teamID: Int64
    /// The key the request came with.
    public var keyID: Int64?
    /// The model requested.
    public var model: ModelID
    /// Price version in force at admission (the usage is priced at it).
    public var priceVersion: String
    /// FX version in force at admission.
    public var fxVersion: String
    /// Prompt tokens counted at admission.
    public var prompt: TokenUsage
    /// How the prompt was counted.
    public var tokenSource: TokenSource
    /// The admission instant: the usage's `occurred_at`.
    public var occurredAt: Date
    /// Until when the hold stands without a renewal.
    public var leaseExpiresAt: Date

    /// Creates a draft.
    public init(
        id: String,
        teamID: Int64,
        keyID: Int64?,
        model: ModelID,
        priceVersion: String,
        fxVersion: String,
        prompt: TokenUsage,
        tokenSource: TokenSource,
        occurredAt: Date,
        leaseExpiresAt: Date
    ) {
        self.id = id
        self.teamID = teamID
        self.keyID = keyID
        self.model = model
        self.priceVersion = priceVersion
        self.fxVersion = fxVersion
        self.prompt = prompt
        self.tokenSource = tokenSource
        self.occurredAt = occurredAt
        self.leaseExpiresAt = leaseExpiresAt
    }
}
