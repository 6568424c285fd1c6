import Foundation
import Synchronization
import TollgateStreaming

/// Client side of the gateway benchmark: runs streams against one endpoint and records, per stream,
/// the time to the first text delta and the gaps between deltas.
enum StreamLoad {
    /// What a batch of streams saw; times in nanoseconds.
    struct Result: Sendable {
        var timeToFirstToken: [Int] = []
        var interChunk: [Int] = []
        /// When each gap in ``interChunk`` began, and when the last stream got its first delta: gaps
        /// after that instant are the steady state, with no stream still being admitted.
        var interChunkStarts: [ContinuousClock.Instant] = []
        var lastFirstToken: ContinuousClock.Instant?
        var completed = 0
        /// Relayed payloads (one per SSE event of a relayed stream) and output deltas, over all streams.
        var relayedEvents = 0
        var outputDeltas = 0
        var failures: [String: Int] = [:]
        var elapsed: Duration = .zero
        var clientCPUSeconds = 0.0

        var failureCount: Int { failures.values.reduce(0, +) }

        /// The gaps that began once every stream had its first delta.
        var steadyInterChunk: [Int] {
            guard let lastFirstToken else { return [] }
            return zip(interChunk, interChunkStarts).filter { $0.1 >= lastFirstToken }.map(\.0)
        }
        var failureSummary: String {
            failures.isEmpty
                ? "0" : "\(failureCount) (" + failures.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
        }
        var streamsPerSecond: Double { Double(completed) / max(1e-9, GatewayBench.seconds(elapsed)) }
    }

    private struct StreamSample: Sendable {
        var timeToFirstToken: Int?
        var firstTokenAt: ContinuousClock.Instant?
        var gaps: [Int] = []
        var gapStarts: [ContinuousClock.Instant] = []
        var relayedEvents = 0
        var outputDeltas = 0
        var failure: String?
    }

    /// Runs `streams` streams, `concurrency` open at a time; the first `concurrency` start spread
    /// evenly over `stagger` (not counted in their TTFT), so paced streams are not all in phase.
    static func run(
        _ client: some ChatStreamingClient,
        request: ChatRequest,
        streams: Int,
        concurrency: Int,
        stagger: Duration = .zero
    ) async throws -> Result {
        let cpuBefore = ProcessCPUTime.now()
        let started = ContinuousClock.now
        var result = Result()
        result.timeToFirstToken.reserveCapacity(streams)
        try await withThrowingTaskGroup(of: StreamSample.self) { group in
            var launched = 0
            let opening = min(concurrency, streams)
            func launch() {
                let delay = launched < opening ? stagger * (Double(launched) / Double(opening)) : .zero
                launched += 1
                group.addTask {
                    if delay > .zero { try? await Task.sleep(for: delay) }
                    return await sample(client, request: request)
                }
            }
            while launched < opening { launch() }
            while let sample = try await group.next() {
                if let failure = sample.failure {
                    result.failures[failure, default: 0] += 1
                } else {
                    result.completed += 1
                }
                if let first = sample.timeToFirstToken { result.timeToFirstToken.append(first) }
                if let at = sample.firstTokenAt { result.lastFirstToken = max(result.lastFirstToken ?? at, at) }
                result.relayedEvents += sample.relayedEvents
                result.outputDeltas += sample.outputDeltas
                result.interChunk.append(contentsOf: sample.gaps)
                result.interChunkStarts.append(contentsOf: sample.gapStarts)
                if launched < streams { launch() }
            }
        }
        result.elapsed = ContinuousClock.now - started
        result.clientCPUSeconds = ProcessCPUTime.now() - cpuBefore
        return result
    }

    private static func sample(_ client: some ChatStreamingClient, request: ChatRequest) async -> StreamSample {
        var sample = StreamSample()
        let clock = ContinuousClock()
        let began = clock.now
        var last: ContinuousClock.Instant?
        do {
            for try await event in client.stream(request) {
                if case .relayed = event { sample.relayedEvents += 1 }
                guard event.isOutputDelta else { continue }
                sample.outputDeltas += 1
                let now = clock.now
                if let last {
                    sample.gaps.append(GatewayBench.nanoseconds(now - last))
                    sample.gapStarts.append(last)
                } else {
                    sample.timeToFirstToken = GatewayBench.nanoseconds(now - began)
                    sample.firstTokenAt = now
                }
                last = now
            }
        } catch let error as StreamingError {
            sample.failure = error.kind.description
        } catch {
            sample.failure = "\(type(of: error))"
        }
        return sample
    }

    /// Opens `streams` long streams (at most `openingAtOnce` still waiting for their first delta),
    /// runs `whileOpen` once every stream has its first delta or failed, then closes them all.
    ///
    /// - Returns: How many were open at once, the failures, and what `whileOpen` returned.
    static func hold<T: Sendable>(
        _ client: some ChatStreamingClient,
        request: ChatRequest,
        streams: Int,
        openingAtOnce: Int,
        deadline: Duration,
        whileOpen: @Sendable (_ open: Int) async throws -> T
    ) async throws -> (open: Int, failures: [String: Int], examples: [String: String], measured: T) {
        let tally = HoldTally()
        let giveUp = ContinuousClock.now + deadline
        return try await withThrowingTaskGroup(of: Void.self) { group in
            var launched = 0
            while launched < streams, ContinuousClock.now < giveUp {
                let (open, failed) = tally.counts
                if launched - open - failed >= openingAtOnce {
                    try await Task.sleep(for: .milliseconds(5))
                    continue
                }
                launched += 1
                group.addTask {
                    var opened = false
                    do {
                        for try await event in client.stream(request) {
                            if !opened, event.isOutputDelta {
                                opened = true
                                tally.opened()
                            }
                        }
                        if !Task.isCancelled { tally.ended(opened: opened, reason: "ended while held") }
                    } catch {
                        // Cancellation at the end of the hold is the expected way out.
                        if !Task.isCancelled {
                            tally.ended(
                                opened: opened,
                                reason: (error as? StreamingError)?.kind.description ?? "\(type(of: error))",
                                detail: "\(error)"
                            )
                        }
                    }
                }
            }
            while ContinuousClock.now < giveUp {
                let (open, failed) = tally.counts
                if open + failed >= launched { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let open = tally.counts.open
            let measured = try await whileOpen(open)
            group.cancelAll()
            try await group.waitForAll()
            return (open, tally.failures, tally.examples, measured)
        }
    }
}

/// Counts of the held streams, updated from every stream task.
private final class HoldTally: Sendable {
    private struct State {
        var open = 0
        var failed = 0
        var failures: [String: Int] = [:]
        var examples: [String: String] = [:]
    }

    private let state = Mutex(State())

    var counts: (open: Int, failed: Int) { state.withLock { ($0.open, $0.failed) } }
    var failures: [String: Int] { state.withLock { $0.failures } }
    /// The first error message seen for each failure kind.
    var examples: [String: String] { state.withLock { $0.examples } }

    func opened() {
        state.withLock { $0.open += 1 }
    }

    /// A stream ended on its own while it should have been held.
    func ended(opened: Bool, reason: String, detail: String? = nil) {
        state.withLock {
            if opened { $0.open -= 1 }
            $0.failed += 1
            $0.failures[reason, default: 0] += 1
            if let detail, $0.examples[reason] == nil { $0.examples[reason] = detail }
        }
    }
}

extension ChatEvent {
    /// A delta of output: a text delta of the parsed OpenAI surface, or a relayed event that
    /// carries output (an Anthropic `content_block_delta` through the metering proxy).
    var isOutputDelta: Bool {
        switch self {
        case .textDelta: true
        case .relayed(let chunk): !chunk.output.isEmpty
        default: false
        }
    }
}
