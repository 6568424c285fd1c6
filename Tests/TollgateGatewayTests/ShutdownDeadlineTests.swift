import Synchronization
import Testing

@testable import TollgateGateway

@Suite("graceful shutdown bookkeeping")
struct ShutdownDeadlineTests {
    @Test("the deadline is unset until shutdown starts, keeps its first start, and passes after the grace")
    func deadline() async throws {
        let deadline = ShutdownDeadline(grace: .milliseconds(50))
        #expect(!deadline.started && !deadline.passed)
        deadline.start()
        #expect(deadline.started && !deadline.passed)
        try await Task.sleep(for: .milliseconds(30))
        deadline.start()
        try await Task.sleep(for: .milliseconds(40))
        #expect(deadline.passed, "a second start must not push the deadline back")
    }

    @Test("start actions run once when shutdown starts, at once when it already has; a removed one never runs")
    func startActions() {
        let deadline = ShutdownDeadline(grace: .seconds(10))
        let ran = Mutex([String]())
        let first = deadline.onStart { ran.withLock { $0.append("first") } }
        let removed = deadline.onStart { ran.withLock { $0.append("removed") } }
        #expect(first != nil && removed != nil)
        deadline.removeAction(removed)
        #expect(ran.withLock { $0 }.isEmpty, "nothing runs before shutdown starts")
        deadline.start()
        deadline.start()
        #expect(ran.withLock { $0 } == ["first"], "each action runs once; a removed one never")
        let late = deadline.onStart { ran.withLock { $0.append("late") } }
        #expect(late == nil)
        #expect(ran.withLock { $0 } == ["first", "late"], "registered after the start: runs at once")
        deadline.removeAction(late)
    }
}
