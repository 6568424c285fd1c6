import Foundation
import TollgateCore
import TollgateLedger

extension QuotaAdmin {
    /// Creates a key for a team and returns its full text once.
    public func createKey(team name: String, label: String?) async throws -> IssuedKey {
        let team = try await store.team(named: name)
        let secret = KeyCodec.generate()
        let record = try await store.addKey(teamID: team.id, prefix: KeyCodec.prefix(of: secret), hash: KeyCodec.hash(secret), label: label, at: clock())
        return IssuedKey(record: record, secret: secret)
    }

    /// Keys of one team (by name) or of every team, with the team name for display.
    public func listKeys(team name: String?) async throws -> [(key: APIKeyRecord, team: String)] {
        let teams = Dictionary(uniqueKeysWithValues: try await store.teams().map { ($0.id, $0.name) })
        var teamID: Int64?
        if let name { teamID = try await store.team(named: name).id }
        return try await store.keys(teamID: teamID).map { ($0, teams[$0.teamID] ?? "?") }
    }

    /// Revokes the key with this prefix; it is refused from then on.
    public func revokeKey(prefix: String) async throws -> APIKeyRecord {
        try await store.revokeKey(prefix: prefix, at: clock())
    }

    /// The active key and enabled team a presented key belongs to, or `invalid_api_key` /
    /// `team_disabled`. The hash comparison takes the same time wherever the keys differ.
    public func authenticate(_ presented: String) async throws -> (team: Team, key: APIKeyRecord) {
        let invalid = BudgetError(.invalidKey, "invalid API key: check the key, or create one with 'tollgate key create --team NAME'")
        guard presented.count > KeyCodec.prefixLength, let (record, team) = try await store.keyWithTeam(prefix: KeyCodec.prefix(of: presented)) else {
            throw invalid
        }
        guard KeyCodec.constantTimeEqual(record.hash, KeyCodec.hash(presented)) else { throw invalid }
        guard record.isActive else {
            throw BudgetError(.invalidKey, "this API key was revoked: ask your admin for a new one ('tollgate key create')")
        }
        guard !team.disabled else {
            throw BudgetError(.teamDisabled, "team '\(team.name)' is disabled: an admin can re-enable it with 'tollgate team enable \(team.name)'")
        }
        return (team, record)
    }
}
