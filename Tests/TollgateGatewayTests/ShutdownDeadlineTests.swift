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

    @Test("waiters wake when shutdown starts, and at once when it already has; a cancelled waiter returns")
    func waiters() async throws {
        let deadline = ShutdownDeadline(grace: .seconds(10))
        async let woken: Void = deadline.waitUntilStarted()
        try await Task.sleep(for: .milliseconds(20))
        deadline.start()
        await woken
        await deadline.waitUntilStarted()

        let idle = ShutdownDeadline(grace: .seconds(10))
        let waiter = Task { await idle.waitUntilStarted() }
        waiter.cancel()
        await waiter.value
        #expect(!idle.started)
    }

    @Test("a busy session closes itself after its frame; an idle one is closed by the watcher; never both")
    func sessionActivity() {
        let deadline = ShutdownDeadline(grace: .seconds(10))
        let busy = SessionActivity(shutdown: deadline)
        let idle = SessionActivity(shutdown: deadline)
        #expect(busy.begin() == .proceed)
        #expect(idle.begin() == .proceed)
        #expect(!idle.end())
        deadline.start()
        #expect(!busy.closeIfIdle(), "the watcher leaves a session in the middle of a turn alone")
        #expect(busy.end(), "the session closes itself once the turn is over")
        #expect(busy.begin() == .closed)
        #expect(idle.closeIfIdle())
        #expect(!idle.closeIfIdle())
        #expect(idle.begin() == .closed)
        let late = SessionActivity(shutdown: deadline)
        #expect(late.begin() == .shuttingDown, "a frame arriving after shutdown started is refused")
        #expect(!late.closeIfIdle())
    }
}
