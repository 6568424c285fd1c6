import Foundation
import TollgateCore

/// A stored API key: its public prefix and hash, never the key itself.
public struct APIKeyRecord: Hashable, Sendable {
    /// Storage id.
    public let id: Int64
    /// The team the key spends for.
    public let teamID: Int64
    /// The key's first characters, shown in listings and used to revoke it.
    public let prefix: String
    /// SHA-256 of the whole key.
    public let hash: Data
    /// Optional human label.
    public let label: String?
    /// When it was created.
    public let createdAt: Date
    /// When it was revoked, if it was.
    public let revokedAt: Date?
    /// The key's own budget under its team's, if it has one.
    public let budget: KeyBudget?
    /// The key's own rate limits, under its team's.
    public let limits: RateLimits

    /// Creates a key record.
    public init(
        id: Int64,
        teamID: Int64,
        prefix: String,
        hash: Data,
        label: String?,
        createdAt: Date,
        revokedAt: Date?,
        budget: KeyBudget? = nil,
        limits: RateLimits = .none
    ) {
        self.id = id
        self.teamID = teamID
        self.prefix = prefix
        self.hash = hash
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.budget = budget
        self.limits = limits
    }

    /// Whether the key may still be used.
    public var isActive: Bool { revokedAt == nil }
}
