import Logging
import TollgateRelaySim
import TollgateStreaming

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Streaming benchmark: the relay simulator and both clients on loopback, in one process.
///
/// Reports sustained streams/s and chunks/s per transport, and the client-side cost of handling one
/// chunk (JSON decode + event mapping, plus SSE line parsing), measured in isolation so network
/// waiting is not mistaken for client work.
public enum StreamingBench {
    /// Runs `streams` streams per transport, `concurrency` at a time; returns a Markdown report.
    public static func run(streams: Int, concurrency: Int) async throws -> String {
        precondition(streams > 0 && concurrency > 0, "streams and concurrency must be positive")
        var logger = Logger(label: "tollgate.bench.relay-sim")
        logger.logLevel = .warning
        let configuration = RelaySimulatorConfiguration(chunkSize: 1, outputTokens: 64)
        let request = ChatRequest(model: "gpt-4.1", messages: [.user("Benchmark the relay stream.")], maxTokens: 64)
        let throughput = try await withRelaySimulator(configuration: configuration, logger: logger) { port in
            let webSocket = RelayWebSocketClient(
                url: RelayWebSocketProtocol.url(port: port),
                apiKey: "sk-bench",
                configuration: .init(heartbeat: nil, retry: .init(maxAttempts: 1))
            )
            let sse = ChatCompletionsClient(url: "http://127.0.0.1:\(port)/v1/chat/completions", apiKey: "sk-bench")
            let ws = try await measure(client: webSocket, request: request, streams: streams, concurrency: concurrency)
            let http = try await measure(client: sse, request: request, streams: streams, concurrency: concurrency)
            return (ws, http)
        }
        let costs = chunkHandlingCosts(samples: 20_000)
        return """
            ## Streaming (relay simulator + clients on loopback)

            \(streams) streams per transport, \(concurrency) concurrent, 64 one-piece chunks per stream.

            | Transport | Streams | Wall time | Streams/s | Chunks/s | Failures |
            |---|---:|---:|---:|---:|---:|
            | WebSocket (`chat.completion`) | \(throughput.0.streams) | \(seconds(throughput.0.elapsed)) s | \(rate(throughput.0.streams, throughput.0.elapsed)) | \(rate(throughput.0.chunks, throughput.0.elapsed)) | \(throughput.0.failures)\(throughput.0.failureSummary) |
            | SSE (`/v1/chat/completions`) | \(throughput.1.streams) | \(seconds(throughput.1.elapsed)) s | \(rate(throughput.1.streams, throughput.1.elapsed)) | \(rate(throughput.1.chunks, throughput.1.elapsed)) | \(throughput.1.failures)\(throughput.1.failureSummary) |

            Client-side chunk handling cost (\(costs.samples) chunks, single thread):

            | Path | p50 | p99 |
            |---|---:|---:|
            | WebSocket frame → `ChatEvent` | \(costs.webSocket.p50) ns | \(costs.webSocket.p99) ns |
            | SSE bytes → `data:` → `ChatEvent` | \(costs.sse.p50) ns | \(costs.sse.p99) ns |
            | SSE relayed tool-call chunk → `data:` → output scan → `ChatEvent.relayed` | \(costs.toolCall.p50) ns | \(costs.toolCall.p99) ns |
            | SSE relayed reasoning chunk → `data:` → output scan → `ChatEvent.relayed` | \(costs.reasoning.p50) ns | \(costs.reasoning.p99) ns |

            """
    }

    private struct Throughput: Sendable {
        var streams = 0
        var chunks = 0
        var failures = 0
        var failureKinds: [String: Int] = [:]
        var elapsed: Duration = .zero
        var failureSummary: String {
            failureKinds.isEmpty ? "" : " (" + failureKinds.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
        }
    }

    private static func measure(
        client: some ChatStreamingClient,
        request: ChatRequest,
        streams: Int,
        concurrency: Int
    ) async throws -> Throughput {
        let started = ContinuousClock.now
        var total = Throughput()
        try await withThrowingTaskGroup(of: (chunks: Int, failure: String?).self) { group in
            var launched = 0
            func launch() {
                launched += 1
                group.addTask {
                    var chunks = 0
                    do {
                        for try await event in client.stream(request) {
                            if case .textDelta = event { chunks += 1 }
                        }
                        return (chunks, nil)
                    } catch let error as StreamingError {
                        return (chunks, error.kind.description)
                    } catch {
                        return (chunks, "\(type(of: error))")
                    }
                }
            }
            while launched < min(concurrency, streams) { launch() }
            while let result = try await group.next() {
                total.streams += 1
                total.chunks += result.chunks
                if let failure = result.failure {
                    total.failures += 1
                    total.failureKinds[failure, default: 0] += 1
                }
                if launched < streams { launch() }
            }
        }
        total.elapsed = ContinuousClock.now - started
        return total
    }

    private struct Percentiles {
        var p50: Int
        var p99: Int
    }

    private static func chunkHandlingCosts(
        samples: Int
    ) -> (samples: Int, webSocket: Percentiles, sse: Percentiles, toolCall: Percentiles, reasoning: Percentiles) {
        let frame = #"{"type":"content_delta","index":0,"delta":{"content":" tokens"}}"#
        var interpreter = RelayStreamInterpreter()
        _ = interpreter.receive(text: #"{"type":"session_established","session_id":"bench"}"#)
        var wsCosts: [Int] = []
        wsCosts.reserveCapacity(samples)
        for _ in 0..<samples {
            let start = ContinuousClock.now
            _ = interpreter.receive(text: frame)
            wsCosts.append(nanoseconds(ContinuousClock.now - start))
        }
        let event =
            Array(
                #"data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":0,"model":"gpt-4.1","choices":[{"index":0,"delta":{"content":" tokens"}}]}"#
                    .utf8
            ) + [10, 10]
        var parser = ServerSentEventParser()
        var sse = ChatCompletionsStreamInterpreter()
        var sseCosts: [Int] = []
        sseCosts.reserveCapacity(samples)
        for _ in 0..<samples {
            let start = ContinuousClock.now
            for parsed in parser.feed(event) { _ = sse.receive(data: parsed.data) }
            sseCosts.append(nanoseconds(ContinuousClock.now - start))
        }
        let toolCall =
            #"{"id":"chatcmpl-BvQ1x9zKp3","object":"chat.completion.chunk","created":1733312000,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_b42e5e7a47","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"location\": \"Paris"}}]},"logprobs":null,"finish_reason":null}],"usage":null}"#
        let reasoning =
            #"{"id":"0c3f2a61-8f1e-4d7b-a4be-3f0e9b7c1d22","object":"chat.completion.chunk","created":1738040000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0225","choices":[{"index":0,"delta":{"content":null,"reasoning_content":" compare the tenths"},"logprobs":null,"finish_reason":null}]}"#
        return (samples, percentiles(wsCosts), percentiles(sseCosts), relayCosts(toolCall, samples: samples), relayCosts(reasoning, samples: samples))
    }

    /// The relaying path per chunk: SSE parsing, the output scan metering reads, the payload copy.
    private static func relayCosts(_ payload: String, samples: Int) -> Percentiles {
        let event = Array("data: \(payload)".utf8) + [10, 10]
        var parser = ServerSentEventParser()
        var interpreter = ChatCompletionsStreamInterpreter(relays: true)
        var costs: [Int] = []
        costs.reserveCapacity(samples)
        for _ in 0..<samples {
            let start = ContinuousClock.now
            for parsed in parser.feed(event) { _ = interpreter.receive(data: parsed.data) }
            costs.append(nanoseconds(ContinuousClock.now - start))
        }
        return percentiles(costs)
    }

    private static func percentiles(_ values: [Int]) -> Percentiles {
        let sorted = values.sorted()
        return Percentiles(p50: sorted[sorted.count / 2], p99: sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
    }

    private static func nanoseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000)
    }

    private static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f", Double(nanoseconds(duration)) / 1e9)
    }

    private static func rate(_ count: Int, _ duration: Duration) -> String {
        let elapsed = Double(nanoseconds(duration)) / 1e9
        return elapsed > 0 ? String(Int((Double(count) / elapsed).rounded())) : "n/a"
    }
}
