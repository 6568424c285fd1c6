import Foundation
import Synchronization
import TollgateStorage

/// Batches what open streams tell the ledger into group commits a few milliseconds apart.
///
/// Streams record progress without waiting (a lock and a dictionary write on the hot path); a
/// settlement waits for the next commit, so no stream waits on a disk flush longer than one
/// interval plus the commit itself. Commits also renew the leases of the holds this process still
/// streams for, every `renewalInterval` (a sixth of the lease), so only a dead process's holds ever
/// expire: while commits succeed, a live hold has five sixths of its lease ahead of it, or more.
public final class LedgerWriter: Sendable {
    /// Time between group commits.
    public let interval: Duration
    /// How long a hold stands without renewal; a crashed process's holds are reclaimed after it.
    public let leaseDuration: Duration
    /// How often a commit renews every live hold's lease. Not every commit: renewing each open hold
    /// every 5 ms was one `UPDATE` per open stream per commit (~10 per stream through a busy
    /// gateway, and 10,000 per commit with 10,000 streams held open), for leases of 30 s. A hold's
    /// progress, written with each commit, renews its lease too.
    public var renewalInterval: Duration { leaseDuration / 6 }
    /// Where commits and open holds are reported; `MeteredClient` reports through it too by default.
    public let metrics: MeteringMetrics
    private let instruments: LedgerWriterMetrics
    private let store: any LedgerStore
    private let clock: @Sendable () -> Date
    private let state = Mutex(Pending())

    private struct Pending: ~Copyable {
        var progress: [String: LedgerCommit.Progress] = [:]
        var settlements: [Waiting] = []
        var live: Set<String> = []
        var releases: [String] = []
        var stopped = false
        /// When a commit last renewed every live hold's lease.
        var renewedAt: ContinuousClock.Instant?
    }

    private struct Waiting {
        let settlement: LedgerCommit.Settlement
        let continuation: CheckedContinuation<Bool, any Error>
        var failures = 0
        /// When its first commit failed.
        var failingSince: ContinuousClock.Instant?
    }

    /// Commits a settlement may fail in the writer's final drain, after `run()` has stopped.
    static let settlementAttempts = 20
    /// How long a settlement keeps being retried after its first failed commit before its stream
    /// is told (unless the ledger refused it outright): long enough for a PostgreSQL restart or
    /// failover, a locked or briefly full disk, so streams in flight settle when the ledger
    /// recovers instead of failing after a burst of quick retries. Every failure that isn't a
    /// refusal counts, whatever its type: an error nobody classified is still money owed.
    static let failureWindow: Duration = .seconds(300)

    /// Creates a writer; nothing is written until `run()` is running.
    public init(
        store: any LedgerStore,
        interval: Duration = .milliseconds(5),
        leaseDuration: Duration = .seconds(30),
        metrics: MeteringMetrics = MeteringMetrics(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.metrics = metrics
        self.instruments = LedgerWriterMetrics(metrics)
        self.interval = interval
        self.leaseDuration = leaseDuration
        self.clock = clock
    }

    /// The lease expiry a hold made now should carry.
    public func leaseExpiry(from instant: Date) -> Date {
        instant.addingTimeInterval(Self.seconds(leaseDuration))
    }

    /// Starts renewing the lease of a hold this process streams for.
    public func track(_ reservationID: String) {
        state.withLock { _ = $0.live.insert(reservationID) }
    }

    /// Records delivered output tokens of an open stream; written with the next commit.
    public func recordProgress(_ reservationID: String, outputTokens: Int) {
        let record = LedgerCommit.Progress(reservationID: reservationID, outputTokens: outputTokens, at: clock())
        state.withLock { $0.progress[reservationID] = record }
    }

    /// Queues a settlement and waits for the commit that writes it. Returns `false` when the hold was
    /// already settled elsewhere (a reclaim), in which case nothing was written.
    public func settle(_ settlement: LedgerCommit.Settlement) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            let refused = state.withLock { pending -> Bool in
                guard !pending.stopped else { return true }
                pending.live.remove(settlement.reservationID)
                pending.progress.removeValue(forKey: settlement.reservationID)
                pending.settlements.append(Waiting(settlement: settlement, continuation: continuation))
                return false
            }
            if refused {
                continuation.resume(throwing: LedgerError(.unavailable, "the ledger writer has stopped: the settlement was not written"))
            }
        }
    }

    /// Drops a hold whose upstream never opened, without a ledger entry, with the next commit.
    public func release(_ reservationID: String) {
        state.withLock { pending in
            pending.live.remove(reservationID)
            pending.releases.append(reservationID)
        }
    }

    /// Commits every `interval` until cancelled, then drains what is pending.
    public func run() async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            try? await flush()
        }
        state.withLock { $0.stopped = true }
        try await flush()
    }

    /// Writes everything pending now, in one transaction. A failed commit keeps its settlements
    /// queued for the next one (never losing a charge) until they have kept failing for
    /// `failureWindow` or the ledger refused them outright.
    public func flush() async throws {
        let now = clock()
        let started = ContinuousClock.now
        var batch = LedgerCommit(leaseExpiresAt: leaseExpiry(from: now))
        let (waiting, live) = state.withLock { pending in
            batch.progress = Array(pending.progress.values)
            if pending.renewedAt.map({ started - $0 >= renewalInterval }) ?? true {
                batch.renewals = Array(pending.live)
            }
            batch.settlements = pending.settlements.map(\.settlement)
            batch.releases = pending.releases
            pending.releases.removeAll(keepingCapacity: true)
            pending.progress.removeAll(keepingCapacity: true)
            defer { pending.settlements.removeAll(keepingCapacity: true) }
            return (pending.settlements, pending.live.count)
        }
        instruments.reservationsOpen.record(live)
        instruments.pendingSettlements.record(waiting.count)
        guard !batch.isEmpty else { return }
        do {
            let result = try await store.commit(batch)
            // A failed commit renewed nothing: the next one tries again.
            if !batch.renewals.isEmpty { state.withLock { $0.renewedAt = started } }
            instruments.commitDuration.recordNanoseconds(MeteringMetrics.nanoseconds(ContinuousClock.now - started))
            instruments.batchSize.record(batch.progress.count + batch.renewals.count + batch.settlements.count + batch.releases.count)
            for entry in waiting {
                entry.continuation.resume(returning: result.settled.contains(entry.settlement.reservationID))
            }
        } catch {
            instruments.failures.increment()
            let permanent = (error as? LedgerError)?.code == .rejected
            let now = ContinuousClock.now
            let stopped = state.withLock { $0.stopped }
            var retry: [Waiting] = []
            for var entry in waiting {
                entry.failures += 1
                if entry.failingSince == nil { entry.failingSince = now }
                let givenUp =
                    if let since = entry.failingSince, !stopped {
                        now - since >= Self.failureWindow
                    } else {
                        entry.failures >= Self.settlementAttempts
                    }
                if permanent || givenUp {
                    entry.continuation.resume(throwing: error)
                } else {
                    retry.append(entry)
                }
            }
            state.withLock { pending in
                pending.settlements.insert(contentsOf: retry, at: 0)
                pending.releases.append(contentsOf: batch.releases)
                for record in batch.progress where pending.progress[record.reservationID] == nil {
                    pending.progress[record.reservationID] = record
                }
            }
            throw error
        }
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
    }
}
