import Foundation
import Synchronization
import TollgateCore
import TollgateStorage

/// The recent completed output counts per team and model that an `expected` hold is sized from
/// (`ExpectedOutput`), kept in memory so admission reads no more than it did before.
///
/// Only teams under `expected` are sampled. A team's policy is read once per process (one row by
/// id, on its first admission) and then taken from each grant, which reads the team row inside the
/// reserve transaction: a worst-case team's admissions cost one dictionary lookup, and a team
/// switched to `expected` is sampled from the admission after the one that shows the switch (that
/// one holds the worst case). An expected team's pair is loaded from the ledger on its first
/// admission (concurrent admissions share one load), then kept current by this process's
/// settlements (`record`) and reloaded in the background once older than `refreshInterval`, which
/// folds in other replicas' settlements. A failed read leaves nothing cached: that admission holds
/// the worst case and the next one reads again.
final class OutputHistory: Sendable {
    /// How long loaded samples serve before a background reload.
    static let refreshInterval: TimeInterval = 60

    private struct Key: Hashable {
        let teamID: Int64
        let model: ModelID
    }

    private enum Entry {
        case loading(Task<[Int], Never>)
        case loaded(outputs: [Int], at: Date, refreshing: Bool)
    }

    private struct State: ~Copyable {
        var entries: [Key: Entry] = [:]
        var policies: [Int64: HoldPolicy] = [:]
    }

    private let state = Mutex(State())
    private let store: any LedgerStore
    private let clock: @Sendable () -> Date

    init(store: any LedgerStore, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.clock = clock
    }

    /// The team's latest completed output counts for `model`, newest first (empty for a team last
    /// seen under `worst-case`).
    func outputs(teamID: Int64, model: ModelID) async -> [Int] {
        var policy = state.withLock { $0.policies[teamID] }
        if policy == nil, let team = try? await store.team(id: teamID) {
            policy = team.budget.hold
            state.withLock { state in if state.policies[teamID] == nil { state.policies[teamID] = team.budget.hold } }
        }
        guard policy == .expected else { return [] }
        let key = Key(teamID: teamID, model: model)
        let now = clock()
        enum Next {
            case ready([Int])
            case wait(Task<[Int], Never>)
            case refresh([Int])
        }
        let next = state.withLock { state -> Next in
            switch state.entries[key] {
            case .loaded(let outputs, let at, let refreshing):
                guard !refreshing, now.timeIntervalSince(at) >= Self.refreshInterval else { return .ready(outputs) }
                state.entries[key] = .loaded(outputs: outputs, at: at, refreshing: true)
                return .refresh(outputs)
            case .loading(let task):
                return .wait(task)
            case nil:
                let task = Task { await self.load(key) }
                state.entries[key] = .loading(task)
                return .wait(task)
            }
        }
        switch next {
        case .ready(let outputs):
            return outputs
        case .wait(let task):
            return await task.value
        case .refresh(let outputs):
            Task { _ = await self.load(key) }
            return outputs
        }
    }

    /// What a grant showed of the team's policy, read in the reserve transaction: the one in force.
    func saw(teamID: Int64, policy: HoldPolicy) {
        state.withLock { $0.policies[teamID] = policy }
    }

    /// A stream of this process completed with `outputTokens`: the newest sample of a loaded pair.
    func record(teamID: Int64, model: ModelID, outputTokens: Int) {
        state.withLock { state in
            let key = Key(teamID: teamID, model: model)
            guard case .loaded(var outputs, let at, let refreshing) = state.entries[key] else { return }
            outputs.insert(outputTokens, at: 0)
            if outputs.count > ExpectedOutput.window { outputs.removeLast(outputs.count - ExpectedOutput.window) }
            state.entries[key] = .loaded(outputs: outputs, at: at, refreshing: refreshing)
        }
    }

    private func load(_ key: Key) async -> [Int] {
        let now = clock()
        do {
            let outputs = try await store.recentOutputTokens(
                teamID: key.teamID,
                model: key.model,
                since: now.addingTimeInterval(-ExpectedOutput.maximumAge),
                limit: ExpectedOutput.window
            )
            state.withLock { $0.entries[key] = .loaded(outputs: outputs, at: now, refreshing: false) }
            return outputs
        } catch {
            state.withLock { state in
                // A reload that fails keeps serving the samples it had; a first load leaves nothing.
                if case .loaded(let outputs, let at, _) = state.entries[key] {
                    state.entries[key] = .loaded(outputs: outputs, at: at, refreshing: false)
                } else {
                    state.entries[key] = nil
                }
            }
            return []
        }
    }
}
