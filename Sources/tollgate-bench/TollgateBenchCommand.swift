import ArgumentParser
import Foundation
import TollgateBench

/// `tollgate-bench`: the project's rerunnable benchmarks. Build in release for numbers:
/// `swift run -c release tollgate-bench <name>`; each prints a Markdown table for BENCHMARKS.md.
@main
struct TollgateBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tollgate-bench",
        abstract: "Tollgate benchmarks (run with -c release).",
        subcommands: [
            LedgerAppend.self, TokenizerThroughput.self, VocabularyLoad.self, StreamingThroughput.self, SavingsReportCommand.self,
            MeteringThroughput.self,
            ReplicaThroughput.self, GatewayLoad.self, PromptCount.self,
        ]
    )
}

/// `tollgate-bench ledger-append`: rows/s appending usage entries in batches.
struct LedgerAppend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger-append", abstract: "Append N usage entries in batches.")

    @Option(help: "Entries to append.") var entries: Int = 1_000_000
    @Option(help: "Entries per append call (one transaction each).") var batch: Int = 1000

    func run() async throws {
        print(try await LedgerAppendBench.run(entries: entries, batchSize: batch))
    }
}

/// `tollgate-bench tokenizers`: counting throughput vs tiktoken, load times, per-delta cost.
struct TokenizerThroughput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizers",
        abstract: "Tokenizer throughput side by side with tiktoken (pip install 'tiktoken==0.14.*' tokenizers)."
    )

    @Option(help: "Vocabulary folder to count with instead of the built-in vocabularies.") var tokenizerDir: String?
    @Option(help: "Corpus file (default: a >= 20 MB corpus built from the conformance texts and local docs).") var corpus: String?

    func run() async throws {
        let directory = tokenizerDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
        print(try TokenizerBench.run(tokenizerDir: directory, corpus: corpus.map { URL(fileURLWithPath: $0) }), terminator: "")
    }
}

/// `tollgate-bench tokenizers-load`: startup cost of the built-in vocabularies (and of a folder's).
struct VocabularyLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizers-load",
        abstract: "Time loading the built-in vocabularies, alone and all three as serve does."
    )

    @Option(help: "Runs per measurement (the median is reported).") var runs = 9
    @Option(help: "Also time loading this vocabulary folder (read, SHA-256 check, parse), e.g. tokenizers.") var tokenizerDir: String?

    func run() async throws {
        print(try VocabularyLoadBench.run(runs: runs, folder: tokenizerDir.map { URL(fileURLWithPath: $0) }), terminator: "")
    }
}

/// `tollgate-bench streaming`: relay simulator + clients on loopback, both transports.
struct StreamingThroughput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streaming",
        abstract: "Streams/s, chunks/s and client chunk-handling cost against the relay simulator."
    )

    @Option(help: "Streams to run per transport.") var streams = 2000
    @Option(help: "Streams open at once.") var concurrency = 200

    func run() async throws {
        print(try await StreamingBench.run(streams: streams, concurrency: concurrency))
    }
}

/// `tollgate-bench savings-report`: the monthly savings report on a large generated ledger.
struct SavingsReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "savings-report",
        abstract: "Generate N entries, then time the monthly savings report (target < 1 s at 10 M)."
    )

    @Option(help: "Usage entries to generate.") var entries: Int = 10_000_000
    @Option(help: "Teams.") var teams: Int = 10
    @Option(help: "Months covered, from 2026-01.") var months: Int = 12
    @Option(help: "Keep the ledger at this path (reused if it already holds entries); default: a temporary file.")
    var db: String?

    func run() async throws {
        print(try await SavingsReportBench.run(entries: entries, teams: teams, months: months, path: db))
    }
}

/// `tollgate-bench metering`: reserve+settle ops/s, per-delta overhead, entries/s under 1,000 streams.
struct MeteringThroughput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metering",
        abstract: "Reserve+settle ops/s, metering overhead per delta, ledger entries/s under concurrent streams."
    )

    @Option(help: "Vocabulary folder to count with instead of the built-in vocabularies.") var tokenizerDir: String?
    @Option(help: "Reserve+settle operations.") var operations = 50_000
    @Option(help: "Concurrent reserve+settle workers.") var concurrency = 64
    @Option(help: "Deltas in the overhead stream.") var deltas = 20_000
    @Option(help: "Metered streams against the simulator.") var streams = 5_000
    @Option(help: "Streams open at once.") var open = 1_000
    @Option(
        name: .customLong("stream-max-tokens"),
        help: "max_tokens of those streams (they send 16 tokens: 16 or less makes every stream reach its hold and extend it)."
    )
    var streamMaxTokens = 64
    @Option(
        help: "The bench team's hold policy: worst-case, or expected (after its first 20 streams, holds the 256-token floor instead of max_tokens)."
    )
    var hold = "worst-case"
    @Flag(help: "Record every metric in a Prometheus registry, as tollgate serve does (default: swift-metrics' no-op backend).") var prometheus =
        false
    @Flag(
        name: .customLong("limits-ab"),
        help: "Only reserve+settle through keyed requests, limits off vs key budget + rate limits on, interleaved in one run."
    )
    var limitsAB = false

    func run() async throws {
        if limitsAB {
            print(try await MeteringBench.limitsAB(operations: operations, concurrency: concurrency))
            return
        }
        let directory = tokenizerDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
        print(
            try await MeteringBench.run(
                tokenizerDir: directory,
                operations: operations,
                concurrency: concurrency,
                deltas: deltas,
                streams: streams,
                openStreams: open,
                streamMaxTokens: streamMaxTokens,
                holdPolicy: hold,
                prometheus: prometheus
            )
        )
    }
}

/// `tollgate-bench replicas`: reserve+settle/s and streams/s, SQLite on one node vs 1-3 replicas on one PostgreSQL.
struct ReplicaThroughput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicas",
        abstract: "Reserve+settle ops/s and metered streams/s: SQLite single node vs 1, 2, 3 replicas on one local PostgreSQL."
    )

    @Option(help: "Vocabulary folder to count with instead of the built-in vocabularies.") var tokenizerDir: String?
    @Option(help: "Reserve+settle operations per configuration.") var operations = 20_000
    @Option(help: "Concurrent reserve+settle workers (spread over the replicas).") var concurrency = 64
    @Option(help: "Metered streams per configuration.") var streams = 3_000
    @Option(help: "Streams open at once (spread over the replicas).") var open = 300
    @Option(help: "Replica counts to measure on PostgreSQL, comma-separated.") var replicas = "1,2,3"

    func run() async throws {
        let directory = tokenizerDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let counts = replicas.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
        guard !counts.isEmpty else { throw ValidationError("--replicas '\(replicas)' lists no replica count: write e.g. 1,2,3") }
        print(
            try await ReplicaBench.run(
                tokenizerDir: directory,
                replicaCounts: counts,
                operations: operations,
                concurrency: concurrency,
                streams: streams,
                open: open
            )
        )
    }
}

/// `tollgate-bench gateway`: the gateway (a `tollgate serve` process) against the relay simulator directly.
struct GatewayLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Added TTFT and inter-chunk latency, streams/s, and open streams with RSS per stream, through the gateway vs direct.",
        discussion:
            "Build both first, one --product per command: swift build -c release --product tollgate-bench; swift build -c release --product tollgate. Raises the open-file limit (needs root above the hard limit)."
    )

    @Option(help: "The tollgate executable to run as the gateway (default: next to this benchmark).") var tollgate: String?
    @Option(help: "Vocabulary folder to count with instead of the built-in vocabularies.") var tokenizerDir: String?
    @Option(
        help: """
            Transports: sse, ws, both (sse and ws), messages (Anthropic /v1/messages), all (each in its own sections), or sse-messages: \
            Messages against Chat Completions through one gateway, alternated per --rounds, with SSE events per stream counted \
            at the client, gateway CPU per stream and per relayed event, added TTFT p50/p99 and added gaps between paced \
            content deltas (16 unpaced deltas, min(24, --paced-chunks) paced, the same on both; no hold).
            """
    ) var transport: TransportChoice = .both
    @Option(help: "Streams per side for time to first token, one at a time.") var latencyStreams = 500
    @Option(help: "Streams per side for streams/s.") var streams = 4000
    @Option(help: "Streams open at once for streams/s.") var concurrency = 100
    @Option(help: "Concurrent paced streams for inter-chunk latency.") var paced = 1000
    @Option(help: "Pacing of those streams, in chunks per second each.") var pacedRate = 20.0
    @Option(help: "Chunks per paced stream.") var pacedChunks = 40
    @Flag(help: "Start the paced streams all at once (in phase) instead of spread over one gap.") var pacedInPhase = false
    @Option(help: "Streams to hold open at once for RSS per stream (0 skips).") var hold = 10_000
    @Option(help: "Transports to run the hold on: sse, ws or both.") var holdTransport: TransportChoice = .both
    @Option(
        help:
            "Rounds of --transport sse-messages: --latency-streams and --streams are split between them; each round runs --paced paced streams per protocol and side."
    ) var rounds = 5

    enum TransportChoice: String, ExpressibleByArgument {
        case sse, ws, both, messages, all
        case sseMessages = "sse-messages"
        var transports: [GatewayBench.Transport] {
            switch self {
            case .sse: [.sse]
            case .ws: [.ws]
            case .both: [.sse, .ws]
            case .messages: [.messages]
            case .sseMessages: []
            case .all: [.sse, .ws, .messages]
            }
        }
    }

    func run() async throws {
        let directory = tokenizerDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let executable =
            tollgate
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appending(path: "tollgate").path
        print(
            try await GatewayBench.run(
                GatewayBench.Options(
                    tollgate: executable,
                    tokenizerDir: directory?.standardizedFileURL.path,
                    transports: transport.transports,
                    latencyStreams: latencyStreams,
                    streams: streams,
                    concurrency: concurrency,
                    paced: paced,
                    pacedTokensPerSecond: pacedRate,
                    pacedChunks: pacedChunks,
                    staggerPaced: !pacedInPhase,
                    hold: hold,
                    holdTransports: holdTransport.transports,
                    comparesProtocols: transport == .sseMessages,
                    rounds: rounds
                )
            )
        )
    }
}

/// `tollgate-bench prompt-count`: the admission cost of counting whole Chat Completions bodies.
struct PromptCount: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt-count",
        abstract: "Time counting whole Chat Completions bodies (agent loop, long text, many messages, a large image)."
    )

    @Option(help: "Runs per body (the median is reported).") var runs = 21

    func run() async throws {
        print(try PromptCountingBench.run(runs: runs), terminator: "")
    }
}
