import Synchronization

/// A one-slot handoff between the task that reads the upstream and the task that consumes events.
///
/// The producer's `send` suspends until the consumer has taken the element, so a slow consumer
/// stops the producer from reading the socket and TCP flow control reaches the relay: at most one
/// event is ever buffered per stream.
final class EventHandoff: Sendable {
    private enum Terminal {
        case finished
        case failed(any Error)
        case consumerGone
    }

    private struct State {
        var pending: (ChatEvent, CheckedContinuation<Void, any Error>)?
        var waitingConsumer: CheckedContinuation<ChatEvent?, any Error>?
        var terminal: Terminal?
        /// The task sending into this handoff, cancelled when the consumer goes or `abort` is called.
        var producer: Task<Void, Never>?
    }

    private let state = Mutex(State())

    /// Hands `event` to the consumer; returns once it has been taken.
    /// - Throws: `CancellationError` when the consumer has gone away (cancelled or stopped iterating).
    func send(_ event: ChatEvent) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (producer: CheckedContinuation<Void, any Error>) in
                let action: () -> Void = state.withLock { state in
                    if state.terminal != nil {
                        return { producer.resume(throwing: CancellationError()) }
                    }
                    if let consumer = state.waitingConsumer {
                        state.waitingConsumer = nil
                        return {
                            consumer.resume(returning: event)
                            producer.resume()
                        }
                    }
                    state.pending = (event, producer)
                    return {}
                }
                action()
            }
        } onCancel: {
            self.consumerGone()
        }
    }

    /// Ends the stream normally after the last sent event, or with `error`.
    func finish(throwing error: (any Error)? = nil) {
        let consumer: CheckedContinuation<ChatEvent?, any Error>? = state.withLock { state in
            guard state.terminal == nil else { return nil }
            state.terminal = error.map { .failed($0) } ?? .finished
            defer { state.waitingConsumer = nil }
            return state.waitingConsumer
        }
        guard let consumer else { return }
        if let error { consumer.resume(throwing: error) } else { consumer.resume(returning: nil) }
    }

    /// Registers the producing task, so `consumerGone()` and `abort(throwing:)` can stop it; a
    /// producer attached after the consumer went or the stream was aborted is cancelled at once.
    func attach(producer: Task<Void, Never>) {
        let cancelNow = state.withLock { state -> Bool in
            state.producer = producer
            switch state.terminal {
            case .consumerGone, .failed: return true
            case .finished, nil: return false
            }
        }
        if cancelNow { producer.cancel() }
    }

    /// Ends the stream with `error` now, whatever the producer is waiting for, and cancels the
    /// producer (a deadline passed while it waited on a stalled upstream).
    func abort(throwing error: any Error) {
        finish(throwing: error)
        state.withLock { $0.producer }?.cancel()
    }

    /// The next event, `nil` at the end, or the producer's error.
    func next() async throws -> ChatEvent? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (consumer: CheckedContinuation<ChatEvent?, any Error>) in
                let action: () -> Void = state.withLock { state in
                    if let (event, producer) = state.pending {
                        state.pending = nil
                        return {
                            producer.resume()
                            consumer.resume(returning: event)
                        }
                    }
                    switch state.terminal {
                    case .finished, .consumerGone:
                        return { consumer.resume(returning: nil) }
                    case .failed(let error):
                        state.terminal = .finished
                        return { consumer.resume(throwing: error) }
                    case nil:
                        state.waitingConsumer = consumer
                        return {}
                    }
                }
                action()
            }
        } onCancel: {
            self.consumerGone()
        }
    }

    /// Marks the consumer as gone and wakes both sides so the producer can close the upstream.
    func consumerGone() {
        let (producer, consumer, task) = state.withLock { state in
            if state.terminal == nil { state.terminal = .consumerGone }
            defer {
                state.pending = nil
                state.waitingConsumer = nil
            }
            return (state.pending?.1, state.waitingConsumer, state.producer)
        }
        producer?.resume(throwing: CancellationError())
        consumer?.resume(throwing: CancellationError())
        task?.cancel()
    }
}
