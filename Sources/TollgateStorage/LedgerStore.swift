import Foundation
import TollgateCore

/// Everything Tollgate keeps: teams, API keys, the append-only ledger and open reservations.
///
/// Methods are named for what they mean to a cost service, never for how they are stored, so a
/// PostgreSQL store can follow the SQLite one without the domain noticing.
public protocol LedgerStore: Sendable {
    /// Creates a team; fails with `duplicate_team` if the name is taken.
    func createTeam(name: String, budget: Budget, at instant: Date) async throws -> Team
    /// The team with this exact name; fails with `unknown_team`.
    func team(named name: String) async throws -> Team
    /// The team with this id; fails with `unknown_team`.
    func team(id: Int64) async throws -> Team
    /// All teams, by name.
    func teams() async throws -> [Team]
    /// Replaces a team's budget settings.
    func updateBudget(teamID: Int64, budget: Budget, at instant: Date) async throws -> Team
    /// Disables or re-enables a team.
    func setDisabled(teamID: Int64, _ disabled: Bool, at instant: Date) async throws -> Team
    /// Gives a team a new name; fails with `duplicate_team` if another team has it, `unknown_team`
    /// if no team has this id. Keys, holds, entries and alerts refer to the id, so they stay its.
    func renameTeam(teamID: Int64, to name: String, at instant: Date) async throws -> Team

    /// Stores a new key's prefix and hash (never the key itself).
    func addKey(teamID: Int64, prefix: String, hash: Data, label: String?, at instant: Date) async throws -> APIKeyRecord
    /// Keys of one team, or of all teams, newest first.
    func keys(teamID: Int64?) async throws -> [APIKeyRecord]
    /// The key with this prefix, revoked or not, or `nil`.
    func key(prefix: String) async throws -> APIKeyRecord?
    /// The key with this prefix, revoked or not, with its team, read in one query (authentication
    /// needs both on every request), or `nil`.
    func keyWithTeam(prefix: String) async throws -> (key: APIKeyRecord, team: Team)?
    /// Sets (or, with `nil`, removes) a key's own budget under its team's; fails with
    /// `invalid_api_key` if no key has this prefix, `invalid_input` if the budget's currency is not
    /// the team's. Admissions read it inside their transaction, so it applies from the next request.
    func setKeyBudget(prefix: String, budget: KeyBudget?, at instant: Date) async throws -> APIKeyRecord
    /// Sets a team's rate limits (`RateLimits.none` removes them); fails with `unknown_team`.
    func setRateLimits(teamID: Int64, _ limits: RateLimits, at instant: Date) async throws -> Team
    /// Sets a key's own rate limits (`RateLimits.none` removes them); fails with `invalid_api_key`.
    func setRateLimits(keyPrefix: String, _ limits: RateLimits, at instant: Date) async throws -> APIKeyRecord
    /// Marks a key revoked; fails with `invalid_api_key` if no key has this prefix.
    func revokeKey(prefix: String, at instant: Date) async throws -> APIKeyRecord

    /// Appends entries atomically: all of them or none.
    func append(_ entries: [LedgerEntry]) async throws
    /// Net charges of a team within a window, in one currency (charges minus credits).
    func spend(teamID: Int64, currency: Currency, in window: PeriodWindow) async throws -> Money
    /// Money held by the team's open reservations, in its budget currency.
    func reserved(teamID: Int64, currency: Currency) async throws -> Money
    /// Entries of a team (or all) with `occurred_at` in `[from, to)`, oldest first, at most `limit`.
    func entries(teamID: Int64?, from: Date?, to: Date?, limit: Int) async throws -> [LedgerEntry]
    /// How many entries the ledger holds.
    func entryCount() async throws -> Int
    /// Output token counts of the team's latest usage entries for `model` that `completed`, admitted
    /// at or after `since`, newest first, at most `limit`: the samples of an `expected` hold.
    func recentOutputTokens(teamID: Int64, model: ModelID, since: Date, limit: Int) async throws -> [Int]

    /// Reads the team's budget status and, if `decide` grants a hold, writes the reservation — all
    /// atomically with respect to every other reservation and settlement of any team, in any process.
    func reserve(
        _ draft: ReservationDraft,
        decide: @escaping @Sendable (Team, BudgetStatus) throws -> AdmissionDecision
    ) async throws -> ReservationGrant
    /// Reads the team's budget status (the stream's own hold counted as reserved) and, if `decide`
    /// grants an amount, adds it to the open hold `draft.id` — atomically with every admission, in
    /// the same transactions, so spend + holds stays within the budget on any number of replicas.
    /// Fails with `ledger_rejected` when the hold is no longer open (settled or reclaimed).
    func extendHold(
        _ draft: ReservationDraft,
        decide: @escaping @Sendable (Team, BudgetStatus) throws -> AdmissionDecision
    ) async throws -> ReservationGrant
    /// Writes progress, lease renewals and settlements in one transaction. A settlement whose hold is
    /// already gone (reclaimed elsewhere) writes nothing, so nothing is billed twice.
    func commit(_ batch: LedgerCommit) async throws -> LedgerCommitResult
    /// Holds not yet settled, of one team or all, oldest first.
    func openReservations(teamID: Int64?) async throws -> [OpenReservation]
    /// Settles every hold whose lease lapsed before `instant` with the entry `settle` makes for it
    /// (from its last durable progress), and drops the holds, in one transaction.
    func reclaimExpired(at instant: Date, settle: @escaping @Sendable (OpenReservation) throws -> LedgerEntry) async throws -> [LedgerEntry]
}
