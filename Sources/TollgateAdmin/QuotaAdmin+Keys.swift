import Foundation
import TollgateCore
import TollgateStorage

extension QuotaAdmin {
    /// Creates a key for a team and returns its full text once. With `budget` (an amount in the
    /// team's currency) the key gets its own budget per `period` (default: the team's period).
    ///
    /// The budget is parsed and checked before the key is written, so a bad amount creates no key.
    public func createKey(team name: String, label: String?, budget amount: String? = nil, period: BudgetPeriod? = nil) async throws -> IssuedKey {
        let team = try await store.team(named: name)
        let budget = try amount.map { try Self.keyBudget($0, period: period ?? team.budget.period, team: team) }
        guard budget != nil || period == nil else {
            throw BudgetError(
                .invalidInput,
                "a key's budget period needs a budget amount (in \(team.budget.limit.currency.rawValue))",
                problem: .keyPeriodWithoutBudget(currency: team.budget.limit.currency)
            )
        }
        let secret = KeyCodec.generate()
        var record = try await store.addKey(
            teamID: team.id,
            prefix: KeyCodec.prefix(of: secret),
            hash: KeyCodec.hash(secret),
            label: label,
            at: clock()
        )
        if let budget { record = try await store.setKeyBudget(prefix: record.prefix, budget: budget, at: clock()) }
        return IssuedKey(record: record, secret: secret)
    }

    /// Sets the key's own budget to `amount` (in its team's currency) per `period` (default: the
    /// key's current period, else the team's); `amount` `nil` removes it, leaving only the team's.
    public func setKeyBudget(prefix: String, amount: String?, period: BudgetPeriod? = nil) async throws -> APIKeyRecord {
        guard let current = try await store.key(prefix: prefix) else {
            throw BudgetError.unknownKey(prefix: prefix)
        }
        guard let amount else {
            guard period == nil else {
                throw BudgetError(
                    .invalidInput,
                    "a key's budget period needs a budget amount, or the removal of the key's budget",
                    problem: .keyPeriodWithoutAmount
                )
            }
            return try await store.setKeyBudget(prefix: prefix, budget: nil, at: clock())
        }
        let team = try await store.team(id: current.teamID)
        let budget = try Self.keyBudget(amount, period: period ?? current.budget?.period ?? team.budget.period, team: team)
        return try await store.setKeyBudget(prefix: prefix, budget: budget, at: clock())
    }

    /// A key budget of `amount` in `team`'s currency.
    static func keyBudget(_ amount: String, period: BudgetPeriod, team: Team) throws -> KeyBudget {
        let budget = try KeyBudget(limit: try Money(parsing: amount, team.budget.limit.currency), period: period)
        try budget.validate(under: team.budget)
        return budget
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
        let invalid = BudgetError(.invalidKey, "invalid API key: check the key, or ask an admin to create one for your team", problem: .invalidKey)
        guard presented.count > KeyCodec.prefixLength, let (record, team) = try await store.keyWithTeam(prefix: KeyCodec.prefix(of: presented)) else {
            throw invalid
        }
        guard KeyCodec.constantTimeEqual(record.hash, KeyCodec.hash(presented)) else { throw invalid }
        guard record.isActive else {
            throw BudgetError(.invalidKey, "this API key was revoked: ask your admin for a new one", problem: .revokedKey)
        }
        guard !team.disabled else {
            throw BudgetError(.teamDisabled, "team '\(team.name)' is disabled: an admin can re-enable it", problem: .teamDisabled(team.name))
        }
        return (team, record)
    }
}
