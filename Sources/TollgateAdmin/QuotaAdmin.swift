import Foundation
import TollgateCore
import TollgateStorage

/// Team quota administration: the single implementation behind `tollgate team|key|ledger` and the
/// gateway's `/admin` API, so both always agree.
public struct QuotaAdmin: Sendable {
    /// Where teams, keys, entries and alerts live.
    public let store: any LedgerDatabase
    /// Prices and FX used to value imports and convert adjustments: the table in force now, so a
    /// gateway that reloads its pricing folder converts an adjustment at the rate its streams use.
    public var pricing: PricingTable { currentPricing() }
    /// The current instant; injected so tests can pin time.
    public let clock: @Sendable () -> Date
    private let currentPricing: @Sendable () -> PricingTable

    /// Creates the admin service over one fixed table (the CLI: one command, one table).
    public init(store: any LedgerDatabase, pricing: PricingTable, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.init(store: store, currentPricing: { pricing }, clock: clock)
    }

    /// Creates the admin service over a table that may change while it runs (`serve`'s live
    /// reload): each call reads the table in force when it starts.
    public init(store: any LedgerDatabase, currentPricing: @escaping @Sendable () -> PricingTable, clock: @escaping @Sendable () -> Date = { Date() })
    {
        self.store = store
        self.currentPricing = currentPricing
        self.clock = clock
    }

    /// Creates a team after checking its name.
    public func createTeam(name: String, budget: Budget) async throws -> Team {
        try Self.validate(teamName: name)
        return try await store.createTeam(name: name, budget: budget, at: clock())
    }

    /// A team and where its budget stands now.
    public func teamStatus(_ name: String) async throws -> TeamStatus {
        try await status(of: try await store.team(named: name))
    }

    /// Every team whose budget status can be read; see `teamStatusReport` for the others.
    public func teamStatuses() async throws -> [TeamStatus] {
        try await teamStatusReport().statuses
    }

    /// Every team with its budget status, and a `ledgerOverflow` error for each team whose entries
    /// can't be summed, so one such team never hides the others.
    public func teamStatusReport() async throws -> TeamStatusReport {
        var report = TeamStatusReport()
        for team in try await store.teams() {
            do {
                report.statuses.append(try await status(of: team))
            } catch let error as BudgetError where error.code == .ledgerOverflow {
                report.unreadable.append(error)
            }
        }
        return report
    }

    /// Changes some of a team's budget settings; fields left `nil` keep their value.
    public func setBudget(_ name: String, _ change: BudgetChange) async throws -> Team {
        let team = try await store.team(named: name)
        let budget = try change.applied(to: team.budget)
        return try await store.updateBudget(teamID: team.id, budget: budget, at: clock())
    }

    /// Disables a team: its keys are refused until it is enabled again.
    public func disableTeam(_ name: String) async throws -> Team {
        let team = try await store.team(named: name)
        return try await store.setDisabled(teamID: team.id, true, at: clock())
    }

    /// Re-enables a disabled team.
    public func enableTeam(_ name: String) async throws -> Team {
        let team = try await store.team(named: name)
        return try await store.setDisabled(teamID: team.id, false, at: clock())
    }

    /// Renames a team, the new name checked by the rule `createTeam` uses. Keys, budget, limits,
    /// alerts and entries refer to the team's id, so they stay the team's; alerts already claimed
    /// keep the name they were claimed under (every delivery of one sends the same body). Renaming
    /// a team to its own name changes nothing.
    public func renameTeam(_ name: String, to newName: String) async throws -> Team {
        try Self.validate(teamName: newName)
        let team = try await store.team(named: name)
        guard newName != team.name else { return team }
        return try await store.renameTeam(teamID: team.id, to: newName, at: clock())
    }

    func status(of team: Team) async throws -> TeamStatus {
        let now = clock()
        let window = team.budget.window(at: now)
        let currency = team.budget.limit.currency
        let spent: Money
        do {
            spent = try await store.spend(teamID: team.id, currency: currency, in: window)
        } catch let overflow as LedgerSumOverflow {
            throw Self.overflowError(overflow, team: team)
        }
        let status = BudgetStatus(
            limit: team.budget.limit,
            spent: spent,
            reserved: try await store.reserved(teamID: team.id, currency: currency),
            window: window
        )
        return TeamStatus(team: team, budget: status)
    }

    /// The team's name, its exact sum, and the way out: correcting entries within the bound.
    static func overflowError(_ overflow: LedgerSumOverflow, team: Team) -> BudgetError {
        BudgetError(
            .ledgerOverflow,
            BudgetError.ledgerOverflowMessage(team: team.name, currency: overflow.currency, netNanos: overflow.exactNanos, correctingWith: nil),
            problem: .ledgerOverflow(team: team.name, currency: overflow.currency, netNanos: overflow.exactNanos)
        )
    }

    /// The team-name rule, checked when a team is created or renamed: 1 to 64 letters (any script), digits,
    /// `-`, `_` or `.`; not `.` or `..` (they read as paths in admin URLs and file names) and not
    /// starting with `-` (a command line would read it as an option). Teams created before the rule
    /// keep their names: reads, disabling and budgets work on them as before.
    static func validate(teamName name: String) throws(BudgetError) {
        let allowed = name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
        guard !name.isEmpty, name.count <= 64, allowed, name != ".", name != "..", !name.hasPrefix("-") else {
            throw BudgetError(
                .invalidInput,
                "team name '\(name)' is not allowed: use 1 to 64 letters, digits, '-', '_' or '.', not starting with '-' and not '.' or '..'"
            )
        }
    }
}
