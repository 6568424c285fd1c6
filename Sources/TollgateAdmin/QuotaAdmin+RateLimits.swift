import Foundation
import TollgateCore
import TollgateStorage

extension QuotaAdmin {
    /// Changes a team's rate limits (requests/tokens per minute, concurrent streams).
    public func setRateLimits(team name: String, _ change: RateLimitChange) async throws -> Team {
        let team = try await store.team(named: name)
        return try await store.setRateLimits(teamID: team.id, try change.applied(to: team.limits), at: clock())
    }

    /// Changes a key's own rate limits, which apply under its team's.
    public func setRateLimits(keyPrefix prefix: String, _ change: RateLimitChange) async throws -> APIKeyRecord {
        guard let key = try await store.key(prefix: prefix) else {
            throw BudgetError.unknownKey(prefix: prefix)
        }
        return try await store.setRateLimits(keyPrefix: prefix, try change.applied(to: key.limits), at: clock())
    }
}
