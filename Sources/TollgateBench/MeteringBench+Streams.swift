import Foundation
import Logging
import TollgateCore
import TollgateLedger
import TollgateMetering
import TollgateRelaySim
import TollgateStorage
import TollgateStreaming
import TollgateTokenizers

extension MeteringBench {
    /// Per-delta time of the same recorded stream read raw and read through the metered client.
    static func deltaOverhead(
        ledger: SQLiteLedger,
        pricing: PricingTable,
        registry: TokenizerRegistry,
        team: Team,
        writer: LedgerWriter,
        deltas: Int
    ) async throws -> String {
        let pieces = SimulatedText.generate(model: "gpt-4.1", prompt: "benchmark", seed: 7, pieceCount: deltas)
        let events: [ChatEvent] =
            [.sessionEstablished(id: nil), .contentStart] + pieces.map { .textDelta($0) } + [.done(StreamCompletion(finishReason: "stop"))]
        let clock = ContinuousClock()
        var raw: [Duration] = []
        var iterator = ChatEventStream.replaying(events).makeAsyncIterator()
        while true {
            let began = clock.now
            guard let event = try await iterator.next() else { break }
            if case .textDelta = event { raw.append(clock.now - began) }
        }
        let client = MeteredClient(
            store: ledger,
            pricing: pricing,
            tokenizers: registry,
            upstream: ReplayingChatClient(events: events),
            writer: writer
        )
        let stream = try await client.stream(teamID: team.id, keyID: nil, request: ChatRequest(model: "gpt-4.1", messages: [.user("benchmark")]))
        var metered: [Duration] = []
        var meteredIterator = stream.makeAsyncIterator()
        while true {
            let began = clock.now
            guard let event = try await meteredIterator.next() else { break }
            if case .chat(.textDelta) = event { metered.append(clock.now - began) }
        }
        func percentile(_ values: [Duration], _ p: Double) -> Double {
            let sorted = values.sorted()
            return seconds(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) * 1e6
        }
        let rows = [0.5, 0.99, 0.999].map { p in
            let (r, m) = (percentile(raw, p), percentile(metered, p))
            return
                "| p\(String(format: "%g", p * 100)) | \(String(format: "%.2f", r)) µs | \(String(format: "%.2f", m)) µs | \(String(format: "%.2f", m - r)) µs |"
        }
        return """

            | per delta (\(deltas) deltas of one word) | unmetered | metered | added by metering |
            |---|---:|---:|---:|
            \(rows.joined(separator: "\n"))

            """
    }

    /// Ledger entries written per second while `open` metered streams run at once against the simulator.
    static func concurrentStreams(
        ledger: SQLiteLedger,
        pricing: PricingTable,
        registry: TokenizerRegistry,
        team: Team,
        writer: LedgerWriter,
        streams: Int,
        open: Int,
        maxTokens: Int = 64
    ) async throws -> String {
        let before = try await ledger.entryCount()
        let counter: SimulatorTokenCounter = { model, text in (try? registry.counter(forModel: model, in: pricing.catalog).count(text)) ?? 0 }
        var quiet = Logger(label: "bench")
        quiet.logLevel = .warning
        let (wall, failures) = try await withRelaySimulator(configuration: .init(outputTokens: 16), tokenCounter: counter, logger: quiet) { port in
            let upstream = RelayWebSocketClient(
                url: RelayWebSocketProtocol.url(port: port),
                apiKey: "bench",
                configuration: .init(handshakeTimeout: .seconds(60))
            )
            let client = MeteredClient(store: ledger, pricing: pricing, tokenizers: registry, upstream: upstream, writer: writer)
            let clock = ContinuousClock()
            let started = clock.now
            let failures = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<open {
                    group.addTask {
                        var failed = 0
                        for _ in stride(from: worker, to: streams, by: open) {
                            do {
                                for try await _ in try await client.stream(
                                    teamID: team.id,
                                    keyID: nil,
                                    request: ChatRequest(model: "deepseek-v3.2", messages: [.user("hi")], maxTokens: maxTokens)
                                ) {}
                            } catch {
                                failed += 1
                            }
                        }
                        return failed
                    }
                }
                return try await group.reduce(0, +)
            }
            return (seconds(clock.now - started), failures)
        }
        let written = try await ledger.entryCount() - before
        return """

            | metered streams | open at once | wall | streams/s = entries/s | entries written | failures |
            |---:|---:|---:|---:|---:|---:|
            | \(streams) | \(open) | \(String(format: "%.2f", wall)) s | \(Int(Double(written) / wall)) | \(written) | \(failures) |

            """
    }
}
