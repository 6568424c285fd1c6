import Foundation
import PostgresNIO
import TollgateCore
import TollgateStorage

extension PostgresLedger {
    public func setRateLimits(teamID: Int64, _ limits: RateLimits, at instant: Date) async throws -> Team {
        let checked = try limits.validated()
        let rows = try await read("setting a team's rate limits") { [logger] connection in
            try await connection.rows(.sql("""
                UPDATE teams SET rpm_limit = $1, tpm_limit = $2, stream_limit = $3, updated_at = $4 WHERE id = $5 RETURNING *
                """) {
                $0.append(checked.requestsPerMinute.map(Int64.init)); $0.append(checked.tokensPerMinute.map(Int64.init))
                $0.append(checked.concurrentStreams.map(Int64.init)); $0.append(Timestamp.millis(instant)); $0.append(teamID)
            }, logger: logger)
        }
        guard let row = rows.first else { throw BudgetError(.unknownTeam, "no team with id \(teamID)") }
        return try Self.team(row)
    }

    public func setRateLimits(keyPrefix prefix: String, _ limits: RateLimits, at instant: Date) async throws -> APIKeyRecord {
        let checked = try limits.validated()
        let rows = try await read("setting a key's rate limits") { [logger] connection in
            try await connection.rows(.sql("UPDATE api_keys SET rpm_limit = $1, tpm_limit = $2, stream_limit = $3 WHERE prefix = $4 RETURNING *") {
                $0.append(checked.requestsPerMinute.map(Int64.init)); $0.append(checked.tokensPerMinute.map(Int64.init))
                $0.append(checked.concurrentStreams.map(Int64.init)); $0.append(prefix)
            }, logger: logger)
        }
        guard let row = rows.first else { throw BudgetError(.invalidKey, "no key with prefix '\(prefix)': 'tollgate key list' shows the prefixes") }
        return try Self.key(row)
    }
}
