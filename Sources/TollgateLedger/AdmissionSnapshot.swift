import Foundation
import TollgateCore
import TollgateStorage

/// What one reservation transaction has read about each team, kept up to date by the holds the
/// same transaction writes, so the second and later admissions of a team in a batch read nothing.
///
/// Why it is exact: the reservation transaction is IMMEDIATE, so from its first read to its commit
/// no other connection or process writes. Within it, admissions only insert holds; the team row
/// and the period's settled spend cannot change, and the held total changes only by the holds this
/// snapshot adds. A different window (a batch straddling a period boundary) reads afresh.
struct AdmissionSnapshot {
    private struct TeamState {
        let team: Team
        let window: PeriodWindow
        let spentNanos: Int64
        var reservedNanos: Int64
    }

    private var states: [Int64: TeamState] = [:]
    /// Keys read by this transaction: their row, and their own budget status when they have one.
    private var keys: [Int64: (limits: KeyLimits, budget: KeyBudgetStatus?)] = [:]
    /// Keys' open holds (for stream limits), counted once per transaction and then kept here.
    private var keyStreams: [Int64: Int] = [:]

    /// The team and its budget status in the period containing `instant`, if this transaction has
    /// read them already. The period is the remembered window when it contains `instant` (a team's
    /// windows tile time, and the team row can't change inside the transaction), so no calendar
    /// arithmetic runs per admission: computing the window was ~4 % of reserve+settle's CPU.
    func status(teamID: Int64, at instant: Date) -> (Team, BudgetStatus)? {
        guard let state = states[teamID], state.window.contains(instant) else { return nil }
        let currency = state.team.budget.limit.currency
        return (
            state.team,
            BudgetStatus(
                limit: state.team.budget.limit,
                spent: Money(nanos: state.spentNanos, currency),
                reserved: Money(nanos: state.reservedNanos, currency),
                window: state.window
            )
        )
    }

    /// Remembers what was just read for `team`.
    mutating func remember(_ team: Team, _ status: BudgetStatus) {
        states[team.id] = TeamState(team: team, window: status.window, spentNanos: status.spent.nanos, reservedNanos: status.reserved.nanos)
    }

    /// Adds a hold written for `teamID` (and `keyID`); a hold in another currency than the budget's
    /// makes the snapshot forget the team (or key) rather than guess how the held total moved.
    mutating func add(hold: Money, teamID: Int64, keyID: Int64? = nil) {
        if let keyID, let key = keys[keyID], let budget = key.budget {
            let status = budget.status
            keys[keyID] =
                hold.currency == status.limit.currency
                ? (
                    key.limits,
                    KeyBudgetStatus(
                        prefix: budget.prefix,
                        budget: budget.budget,
                        status: BudgetStatus(
                            limit: status.limit,
                            spent: status.spent,
                            reserved: Money(nanos: status.reserved.nanos + hold.nanos, status.limit.currency),
                            window: status.window
                        )
                    )
                ) : nil
        }
        guard var state = states[teamID] else { return }
        guard hold.currency == state.team.budget.limit.currency else {
            states[teamID] = nil
            return
        }
        state.reservedNanos += hold.nanos
        states[teamID] = state
    }

    /// The key's row and its budget status at `instant`, if this transaction has read them: `nil`
    /// when it hasn't, or when the key has a budget whose remembered window doesn't hold `instant`.
    /// Exact for the same reason as the team's: inside the IMMEDIATE transaction the key's row and
    /// settled spend can't change, and its held total only by the holds this snapshot adds.
    func key(_ keyID: Int64, at instant: Date) -> (limits: KeyLimits, budget: KeyBudgetStatus?)? {
        guard let key = keys[keyID] else { return nil }
        if let budget = key.budget, !budget.status.window.contains(instant) { return nil }
        return key
    }

    /// The key's open holds, counting the batch's, if this transaction has counted them.
    func streams(ofKey keyID: Int64) -> Int? { keyStreams[keyID] }

    /// Remembers the key's open holds as just counted.
    mutating func remember(streams: Int, ofKey keyID: Int64) { keyStreams[keyID] = streams }

    /// Counts a new hold (not an extension) of `keyID` in its open holds, if they were counted.
    mutating func opened(streamOfKey keyID: Int64?) {
        guard let keyID, let streams = keyStreams[keyID] else { return }
        keyStreams[keyID] = streams + 1
    }

    /// Remembers what was just read for a key.
    mutating func remember(key limits: KeyLimits, budget: KeyBudgetStatus?) {
        keys[limits.id] = (limits, budget)
    }
}
