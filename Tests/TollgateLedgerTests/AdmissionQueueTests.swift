import Foundation
import Synchronization
import Testing
import TollgateCore

@testable import TollgateStorage

@Suite("Admission queue: a lone request decided on its caller's task, others batched")
struct AdmissionQueueTests {
    /// A real grant to hand back from the fake transactions below.
    private static func grant() async throws -> ReservationGrant {
        let fixture = try await StoreFixture.make(.sqlite)
        let team = try await fixture.store.createTeam(name: "queue", budget: try Fixtures.budget(), at: Fixtures.now)
        return try await fixture.store.reserve(ReservationStoreTests.draft("g", team: team.id), decide: ReservationStoreTests.decide)
    }

    private static func request(_ id: String) -> AdmissionQueue.Request {
        .init(draft: ReservationStoreTests.draft(id, team: 1), decide: ReservationStoreTests.decide)
    }

    private static func currentTask() -> Int? { withUnsafeCurrentTask { $0?.hashValue } }

    @Test("an idle queue runs a lone request's transaction on the caller's task (no hop); the default queue hops to a drain task")
    func loneRequestRunsInline() async throws {
        let grant = try await Self.grant()
        for inline in [true, false] {
            let queue = AdmissionQueue(decidesAloneInline: inline)
            let caller = Self.currentTask()
            let ranOn = Mutex<[Int?]>([])
            let result = try await queue.reserve(Self.request("a")) { batch in
                ranOn.withLock { $0.append(Self.currentTask()) }
                return batch.map { _ in .success(grant) }
            }
            #expect(result == grant)
            #expect(ranOn.withLock { $0 }.count == 1)
            #expect((ranOn.withLock { $0 }.first == caller) == inline)
        }
    }

    @Test("requests arriving while the caller's transaction runs are decided together in the next one, each gets its own result")
    func latecomersAreBatched() async throws {
        let grant = try await Self.grant()
        let queue = AdmissionQueue(decidesAloneInline: true)
        let batches = Mutex<[[String]]>([])
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        let run: @Sendable ([AdmissionQueue.Request]) async throws -> [Result<ReservationGrant, any Error>] = { batch in
            let first = batches.withLock { batches in
                batches.append(batch.map(\.draft.id))
                return batches.count == 1
            }
            if first { for await _ in released { break } }
            return batch.map { $0.draft.id == "refused" ? .failure(LedgerError(.unavailable, "refused")) : .success(grant) }
        }
        async let leader = queue.reserve(Self.request("leader"), run: run)
        while batches.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(5)) }
        let followers = Task {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<10 {
                    group.addTask { (try? await queue.reserve(Self.request(index == 3 ? "refused" : "f\(index)"), run: run)) != nil }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        release.yield()
        #expect(try await leader == grant)
        #expect(try await followers.value == 9)
        let seen = batches.withLock { $0 }
        #expect(seen.first == ["leader"])
        #expect(seen.dropFirst().flatMap { $0 }.count == 10)
        #expect(seen.count < 11, "the latecomers were decided together, not one transaction each: \(seen)")
    }

    @Test("a failed transaction fails its own caller only; the queue keeps deciding")
    func failureIsContained() async throws {
        let grant = try await Self.grant()
        let queue = AdmissionQueue(decidesAloneInline: true)
        await #expect(throws: LedgerError.self) {
            try await queue.reserve(Self.request("x")) { _ in throw LedgerError(.unavailable, "the ledger is gone") }
        }
        #expect(try await queue.reserve(Self.request("y")) { batch in batch.map { _ in .success(grant) } } == grant)
    }
}
