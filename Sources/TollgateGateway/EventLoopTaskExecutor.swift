import NIOCore
import Synchronization

/// Runs a task's jobs on one NIO event loop.
///
/// A streamed response's write loop prefers the loop of its client's connection, and its upstream
/// connection is opened on that same loop: an upstream chunk is then parsed, counted and written to
/// the client on one thread. On the shared cooperative pool each chunk crossed two threads (upstream
/// loop → pool → client loop), each crossing a wake-up of tens of microseconds on a loaded machine.
/// The loop is only lent for short synchronous steps; nothing here blocks (ledger writes stay on
/// the group-commit writer's task).
final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop every job runs on.
    let eventLoop: any EventLoop

    private init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    private static let executors = Mutex<[ObjectIdentifier: EventLoopTaskExecutor]>([:])

    /// The executor of `eventLoop`, one per loop for the life of the process (loops are few).
    static func on(_ eventLoop: any EventLoop) -> EventLoopTaskExecutor {
        executors.withLock { executors in
            if let executor = executors[ObjectIdentifier(eventLoop)] { return executor }
            let executor = EventLoopTaskExecutor(eventLoop)
            executors[ObjectIdentifier(eventLoop)] = executor
            return executor
        }
    }
}
