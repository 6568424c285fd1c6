import Foundation
import Synchronization
import TollgateCore
import TollgateLedger
import TollgateStorage

/// A ledger whose next `failures` commits throw `error` before any reaches the real store; every
/// other call goes straight through. Stands in for a disk or database hiccup the writer must ride out,
/// or (with `LedgerError(.rejected, …)`) a settlement the ledger refuses. Shared by the metering and
/// gateway tests.
public final class FlakyCommitStore: LedgerStore {
    /// The default failure: an error nobody classified.
    public struct DiskHiccup: Error {
        /// An error with nothing in it.
        public init() {}
    }

    /// The store every call reaches once the failures are used up.
    public let base: SQLiteLedger
    private let error: any Error
    private let settlementsOnly: Bool
    private let remaining: Mutex<Int>
    private let attempts = Mutex(0)

    /// Fails the next `failures` commits (only those carrying a settlement when `settlementsOnly`,
    /// so a progress or lease commit can't use a failure meant for the settlement).
    public init(_ base: SQLiteLedger, failures: Int, error: any Error = DiskHiccup(), settlementsOnly: Bool = false) {
        self.base = base
        self.error = error
        self.settlementsOnly = settlementsOnly
        remaining = Mutex(failures)
    }

    /// Commits attempted so far, failed ones included.
    public var commitAttempts: Int { attempts.withLock { $0 } }

    public func commit(_ batch: LedgerCommit) async throws -> LedgerCommitResult {
        attempts.withLock { $0 += 1 }
        let fail = remaining.withLock { left -> Bool in
            guard left > 0, !settlementsOnly || !batch.settlements.isEmpty else { return false }
            left -= 1
            return true
        }
        if fail { throw error }
        return try await base.commit(batch)
    }

    public func createTeam(name: String, budget: Budget, at instant: Date) async throws -> Team {
        try await base.createTeam(name: name, budget: budget, at: instant)
    }
    public func team(named name: String) async throws -> Team { try await base.team(named: name) }
    public func team(id: Int64) async throws -> Team { try await base.team(id: id) }
    public func teams() async throws -> [Team] { try await base.teams() }
    public func setRateLimits(teamID: Int64, _ limits: RateLimits, at instant: Date) async throws -> Team {
        try await base.setRateLimits(teamID: teamID, limits, at: instant)
    }
    public func setRateLimits(keyPrefix: String, _ limits: RateLimits, at instant: Date) async throws -> APIKeyRecord {
        try await base.setRateLimits(keyPrefix: keyPrefix, limits, at: instant)
    }
    public func setKeyBudget(prefix: String, budget: KeyBudget?, at instant: Date) async throws -> APIKeyRecord {
        try await base.setKeyBudget(prefix: prefix, budget: budget, at: instant)
    }
    public func updateBudget(teamID: Int64, budget: Budget, at instant: Date) async throws -> Team {
        try await base.updateBudget(teamID: teamID, budget: budget, at: instant)
    }
    public func setDisabled(teamID: Int64, _ disabled: Bool, at instant: Date) async throws -> Team {
        try await base.setDisabled(teamID: teamID, disabled, at: instant)
    }
    public func renameTeam(teamID: Int64, to name: String, at instant: Date) async throws -> Team {
        try await base.renameTeam(teamID: teamID, to: name, at: instant)
    }
    public func addKey(teamID: Int64, prefix: String, hash: Data, label: String?, at instant: Date) async throws -> APIKeyRecord {
        try await base.addKey(teamID: teamID, prefix: prefix, hash: hash, label: label, at: instant)
    }
    public func keys(teamID: Int64?) async throws -> [APIKeyRecord] { try await base.keys(teamID: teamID) }
    public func key(prefix: String) async throws -> APIKeyRecord? { try await base.key(prefix: prefix) }
    public func keyWithTeam(prefix: String) async throws -> (key: APIKeyRecord, team: Team)? { try await base.keyWithTeam(prefix: prefix) }
    public func revokeKey(prefix: String, at instant: Date) async throws -> APIKeyRecord { try await base.revokeKey(prefix: prefix, at: instant) }
    public func append(_ entries: [LedgerEntry]) async throws { try await base.append(entries) }
    public func spend(teamID: Int64, currency: Currency, in window: PeriodWindow) async throws -> Money {
        try await base.spend(teamID: teamID, currency: currency, in: window)
    }
    public func reserved(teamID: Int64, currency: Currency) async throws -> Money { try await base.reserved(teamID: teamID, currency: currency) }
    public func entries(teamID: Int64?, from: Date?, to: Date?, limit: Int) async throws -> [LedgerEntry] {
        try await base.entries(teamID: teamID, from: from, to: to, limit: limit)
    }
    public func entryCount() async throws -> Int { try await base.entryCount() }
    public func recentOutputTokens(teamID: Int64, model: ModelID, since: Date, limit: Int) async throws -> [Int] {
        try await base.recentOutputTokens(teamID: teamID, model: model, since: since, limit: limit)
    }
    public func reserve(
        _ draft: ReservationDraft,
        decide: @escaping @Sendable (Team, BudgetStatus) throws -> AdmissionDecision
    ) async throws -> ReservationGrant {
        try await base.reserve(draft, decide: decide)
    }
    public func extendHold(
        _ draft: ReservationDraft,
        decide: @escaping @Sendable (Team, BudgetStatus) throws -> AdmissionDecision
    ) async throws -> ReservationGrant {
        try await base.extendHold(draft, decide: decide)
    }
    public func openReservations(teamID: Int64?) async throws -> [OpenReservation] { try await base.openReservations(teamID: teamID) }
    public func reclaimExpired(at instant: Date, settle: @escaping @Sendable (OpenReservation) throws -> LedgerEntry) async throws -> [LedgerEntry] {
        try await base.reclaimExpired(at: instant, settle: settle)
    }
}
