import Foundation
import MetricsTestKit
import Testing
import TollgateCore
import TollgateStorage
import TollgateTestSupport

@testable import TollgateMetering

@Suite("Group-committed ledger writer")
struct LedgerWriterTests {
    @Test("progress is written by the next commit without the stream waiting")
    func progress() async throws {
        let fixture = try await MeteringFixture()
        try await fixture.hold("a")
        let writer = LedgerWriter(store: fixture.ledger)
        writer.track("a")
        writer.recordProgress("a", outputTokens: 10)
        writer.recordProgress("a", outputTokens: 25)
        try await writer.flush()
        #expect(try await fixture.ledger.openReservations(teamID: nil).first?.outputTokens == 25)
    }

    @Test("a settlement resolves once its group commit is written; the hold is gone")
    func settlement() async throws {
        let fixture = try await MeteringFixture()
        for id in ["a", "b", "c"] { try await fixture.hold(id) }
        let writer = LedgerWriter(store: fixture.ledger, interval: .milliseconds(2))
        let runner = Task { try await writer.run() }
        let settlements = try ["a", "b", "c"].map { try fixture.settlement($0, output: 50) }
        let settled = try await withThrowingTaskGroup(of: Bool.self) { group in
            for settlement in settlements { group.addTask { try await writer.settle(settlement) } }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        runner.cancel()
        try await runner.value
        #expect(settled == [true, true, true])
        #expect(try await fixture.ledger.entryCount() == 3)
        #expect(try await fixture.ledger.openReservations(teamID: nil).isEmpty)
    }

    @Test("settling a hold that was reclaimed returns false and bills nothing more")
    func reclaimedThenSettled() async throws {
        let fixture = try await MeteringFixture()
        let past = Date().addingTimeInterval(-120)
        try await fixture.hold("dead", at: past, lease: 1)
        let entries = try await LeaseReclaimer(store: fixture.ledger, pricing: MeteringFixture.pricing).reclaim()
        #expect(entries.map(\.outcome) == ["reclaimed"])
        let writer = LedgerWriter(store: fixture.ledger)
        let late = try fixture.settlement("dead", output: 80, at: past)
        async let settled = writer.settle(late)
        try await Task.sleep(for: .milliseconds(20))
        try await writer.flush()
        #expect(try await settled == false)
        #expect(try await fixture.ledger.entryCount() == 1)
    }

    @Test("tracked holds get their leases renewed by every commit")
    func leaseRenewal() async throws {
        let fixture = try await MeteringFixture()
        try await fixture.hold("a", lease: 1)
        let writer = LedgerWriter(store: fixture.ledger, leaseDuration: .seconds(600))
        writer.track("a")
        try await writer.flush()
        let lease = try #require(try await fixture.ledger.openReservations(teamID: nil).first?.leaseExpiresAt)
        #expect(lease > Date().addingTimeInterval(500))
    }

    @Test("leases are renewed once per renewal interval, not by every commit; progress still goes with every commit")
    func renewalInterval() async throws {
        let fixture = try await MeteringFixture()
        try await fixture.hold("a")
        let test = TestMetrics()
        let writer = LedgerWriter(store: fixture.ledger, leaseDuration: .milliseconds(600), metrics: MeteringMetrics(factory: test))
        #expect(writer.renewalInterval == .milliseconds(100))
        writer.track("a")
        try await writer.flush()
        writer.recordProgress("a", outputTokens: 1)
        try await writer.flush()
        try await Task.sleep(for: .milliseconds(150))
        writer.recordProgress("a", outputTokens: 2)
        try await writer.flush()
        // The renewal alone; the progress alone (renewed 0 ms ago); progress and renewal (150 ms on).
        #expect(try test.expectRecorder("tollgate_ledger_commit_batch_size").values == [1, 1, 2])
        #expect(try await fixture.ledger.openReservations(teamID: nil).first?.outputTokens == 2)
    }

    @Test("a settlement whose commits keep failing with an error nobody classified is retried until it lands")
    func unclassifiedFailures() async throws {
        let fixture = try await MeteringFixture()
        try await fixture.hold("a")
        // 40 failures: twice the old attempt limit, which gave such a settlement up within ~100 ms.
        let store = FlakyCommitStore(fixture.ledger, failures: 40)
        let writer = LedgerWriter(store: store, interval: .milliseconds(1))
        let runner = Task { try await writer.run() }
        let settled = try await writer.settle(try fixture.settlement("a", output: 50))
        runner.cancel()
        try await runner.value
        #expect(settled)
        #expect(store.commitAttempts > 40)
        #expect(try await fixture.ledger.entryCount() == 1)
        #expect(try await fixture.ledger.openReservations(teamID: nil).isEmpty)
    }

    @Test("a settlement the ledger refuses fails at once, and its hold stays for the reclaimer")
    func refusedSettlement() async throws {
        let fixture = try await MeteringFixture()
        try await fixture.hold("a")
        let store = FlakyCommitStore(fixture.ledger, failures: 1, error: LedgerError(.rejected, "refused"))
        let writer = LedgerWriter(store: store, interval: .milliseconds(1))
        let runner = Task { try await writer.run() }
        let error = await #expect(throws: LedgerError.self) { try await writer.settle(try fixture.settlement("a", output: 50)) }
        runner.cancel()
        try await runner.value
        #expect(error?.code == .rejected)
        #expect(store.commitAttempts >= 1)
        #expect(try await fixture.ledger.entryCount() == 0)
        #expect(try await fixture.ledger.openReservations(teamID: nil).count == 1)
    }

    @Test("after run() stops, a settlement is refused with a clear error instead of hanging")
    func stopped() async throws {
        let fixture = try await MeteringFixture()
        try await fixture.hold("a")
        let writer = LedgerWriter(store: fixture.ledger)
        let runner = Task { try await writer.run() }
        runner.cancel()
        try await runner.value
        let settlement = try fixture.settlement("a", output: 1)
        await #expect(throws: LedgerError.self) { try await writer.settle(settlement) }
    }
}

@Suite("Releasing holds that never streamed")
struct LedgerWriterReleaseTests {
    @Test("a released hold disappears without a ledger entry")
    func release() async throws {
        let fixture = try await MeteringFixture()
        try await fixture.hold("never-opened")
        let writer = LedgerWriter(store: fixture.ledger)
        writer.track("never-opened")
        writer.release("never-opened")
        try await writer.flush()
        #expect(try await fixture.ledger.openReservations(teamID: nil).isEmpty)
        #expect(try await fixture.ledger.entryCount() == 0)
    }
}
