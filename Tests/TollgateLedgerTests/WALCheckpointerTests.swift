import Foundation
import GRDB
import Testing
import TollgateCore

@testable import TollgateLedger

/// The writer's commits hand WAL checkpoints to a background connection, with the writer itself
/// as the fallback; thresholds are made small here so a few batches cross them.
@Suite("WAL checkpoints off the writer (SQLite)")
struct WALCheckpointerTests {
    @Test("past the background threshold a checkpoint runs on the background connection; nothing is lost")
    func background() async throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appending(path: "ledger.sqlite").path
        let ledger = try SQLiteLedger(path: path, checkpointPages: (background: 20, writer: .max))
        let written = try await Self.appendBatches(to: ledger)
        ledger.checkpointer.drain()
        #expect(ledger.checkpointer.completedCheckpoints >= 1)
        #expect(try await ledger.entryCount() == written)
        #expect(try await SQLiteLedger(path: path).entryCount() == written)
    }

    @Test("if the background never runs, the writer checkpoints inline and the WAL stays bounded")
    func writerFallback() async throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bounded = folder.appending(path: "bounded.sqlite").path
        let unbounded = folder.appending(path: "unbounded.sqlite").path
        let withFallback = try SQLiteLedger(path: bounded, checkpointPages: (background: .max, writer: 20))
        let without = try SQLiteLedger(path: unbounded, checkpointPages: (background: .max, writer: .max))
        let written = try await Self.appendBatches(to: withFallback)
        _ = try await Self.appendBatches(to: without)
        #expect(withFallback.checkpointer.completedCheckpoints == 0)
        let boundedWAL = try Self.size(of: bounded + "-wal")
        let unboundedWAL = try Self.size(of: unbounded + "-wal")
        #expect(boundedWAL * 3 < unboundedWAL, "WAL with the inline fallback: \(boundedWAL) bytes, without any checkpoint: \(unboundedWAL)")
        #expect(try await withFallback.entryCount() == written)
    }

    @Test("the checkpointer goes away with its ledger")
    func lifetime() async throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        weak var checkpointer: WALCheckpointer?
        weak var pool: DatabasePool?
        do {
            let ledger = try SQLiteLedger(path: folder.appending(path: "ledger.sqlite").path, checkpointPages: (background: 20, writer: .max))
            checkpointer = ledger.checkpointer
            pool = ledger.pool
            _ = try await Self.appendBatches(to: ledger)
            ledger.checkpointer.drain()
        }
        #expect(pool == nil)
        // libdispatch releases a finished block a moment after running it, so the last
        // background checkpoint's reference may outlive `drain()` by a little.
        for _ in 0..<100 where checkpointer != nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(checkpointer == nil)
    }

    /// Appends 20 batches of 200 entries (a few hundred WAL pages in all); returns how many.
    static func appendBatches(to ledger: SQLiteLedger) async throws -> Int {
        let team = try await ledger.createTeam(name: "a", budget: try Fixtures.budget(), at: Fixtures.now)
        for batch in 0..<20 {
            try await ledger.append(
                try (0..<200).map { offset in
                    try Fixtures.usage(team: team.id, at: Fixtures.now.addingTimeInterval(TimeInterval(batch * 200 + offset)))
                }
            )
        }
        return 20 * 200
    }

    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appending(path: "tollgate-wal-\(UUID().uuidString)")
    }

    static func size(of path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }
}
