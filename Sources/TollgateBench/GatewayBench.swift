import Foundation
import TollgateAdmin
import TollgateCore
import TollgateDefaults
import TollgateLedger
import TollgateStreaming

/// Gateway load benchmark: the same streams through `tollgate serve` and directly against the relay
/// simulator it relays to, in the same run, so the difference is what the gateway adds.
///
/// The gateway runs as a child process (the built `tollgate serve` on a temporary ledger, upstream
/// `--upstream` pointing at the simulator), so its RSS and CPU time exclude the load client and the
/// simulator, which share this process.
public enum GatewayBench {
    /// The client-facing protocol measured; the gateway's upstream uses the same protocol.
    public enum Transport: String, Sendable, CaseIterable {
        /// OpenAI SSE on `/v1/chat/completions`.
        case sse
        /// The relay WebSocket protocol on `/v1/ws/stream`.
        case ws
        /// Anthropic SSE on `/v1/messages` (claude-sonnet-4.5); the gateway relays it to the
        /// simulator's `/v1/messages` beside its http upstream.
        case messages
    }

    /// What to run; every field has a default sized for the issue's targets.
    public struct Options: Sendable {
        /// The `tollgate` executable to run as the gateway.
        public var tollgate: String
        /// Vocabulary folder for the gateway's exact counting; nil counts with the built-in vocabularies.
        public var tokenizerDir: String?
        /// Transports to measure.
        public var transports: [Transport]
        /// Streams per side for time to first token, one at a time.
        public var latencyStreams: Int
        /// Streams per side for throughput.
        public var streams: Int
        /// Streams open at once for throughput.
        public var concurrency: Int
        /// Concurrent paced streams for inter-chunk latency.
        public var paced: Int
        /// Pacing of those streams, in pieces per second.
        public var pacedTokensPerSecond: Double
        /// Chunks per paced stream.
        public var pacedChunks: Int
        /// Whether paced streams start spread over one pacing period (else all at once, in phase).
        public var staggerPaced: Bool
        /// Streams to hold open at once for the memory measurement; 0 skips it.
        public var hold: Int
        /// Transports to run the hold on (it is the longest part).
        public var holdTransports: [Transport]
        /// Messages against Chat Completions through one gateway, alternated per round, with
        /// events per stream and gateway CPU per relayed event (issue #19's comparison).
        public var comparesProtocols: Bool
        /// Rounds of that comparison (each protocol's streams are split between them).
        public var rounds: Int

        /// Creates options.
        public init(
            tollgate: String,
            tokenizerDir: String? = nil,
            transports: [Transport] = Transport.allCases,
            latencyStreams: Int = 500,
            streams: Int = 4000,
            concurrency: Int = 100,
            paced: Int = 1000,
            pacedTokensPerSecond: Double = 20,
            pacedChunks: Int = 40,
            staggerPaced: Bool = true,
            hold: Int = 10_000,
            holdTransports: [Transport] = [.sse, .ws],
            comparesProtocols: Bool = false,
            rounds: Int = 5
        ) {
            self.tollgate = tollgate
            self.tokenizerDir = tokenizerDir
            self.transports = transports
            self.latencyStreams = latencyStreams
            self.streams = streams
            self.concurrency = concurrency
            self.paced = paced
            self.pacedTokensPerSecond = pacedTokensPerSecond
            self.pacedChunks = pacedChunks
            self.staggerPaced = staggerPaced
            self.hold = hold
            self.holdTransports = holdTransports
            self.comparesProtocols = comparesProtocols
            self.rounds = rounds
        }
    }

    /// Runs every part for every transport; returns the Markdown report.
    public static func run(_ options: Options) async throws -> String {
        guard FileManager.default.isExecutableFile(atPath: options.tollgate) else {
            throw BenchFailure(
                "no tollgate executable at \(options.tollgate): run 'swift build -c release --product tollgate' or pass --tollgate PATH"
            )
        }
        // The gateway holds two sockets per stream (client and upstream); the client and the simulator one each.
        let openFiles = raiseOpenFileLimit(to: max(options.hold, options.paced, options.concurrency) * 2 + 1024)
        var options = options
        let holdable = (openFiles - 512) / 2
        let asked = options.hold
        options.hold = min(options.hold, holdable)
        var report = """
            ## Gateway (issue: gateway; targets: added TTFT p50 ≤ 150 µs / p99 ≤ 500 µs, added inter-chunk p99 ≤ 50 µs \
            at 1,000 streams, 10,000 open streams at ≤ 64 KiB RSS each)

            """
        if options.comparesProtocols { report += try await messagesVersusChat(options) }
        for transport in options.transports {
            report += try await latencyAndThroughput(transport, options)
            report += try await interChunk(transport, options)
            // The simulator's Messages answer is at most 24 pieces: it can't be held open.
            if options.hold > 0, options.holdTransports.contains(transport), transport != .messages {
                report += try await holdOpen(transport, options)
                if asked > options.hold {
                    report +=
                        "\nAsked for \(asked) open streams; held at most \(options.hold): the open-file limit is \(openFiles) "
                        + "and the gateway needs two descriptors per stream (raise `ulimit -Hn` above \(asked * 2 + 512) for more).\n"
                }
            }
        }
        return report
    }

    // MARK: - Parts

    private static func latencyAndThroughput(_ transport: Transport, _ options: Options) async throws -> String {
        let request = try request(transport, "Benchmark the gateway.", maxTokens: 16)
        return try await withSetup(transport, options, simulator: ["--output-tokens", "16"]) { setup in
            _ = try await StreamLoad.run(setup.direct, request: request, streams: 100, concurrency: 10)
            _ = try await StreamLoad.run(setup.gateway, request: request, streams: 100, concurrency: 10)
            // Alternate in rounds so a neighbour's build slowing the machine hits both sides alike.
            var direct = StreamLoad.Result()
            var gateway = StreamLoad.Result()
            let rounds = 5
            for _ in 0..<rounds {
                direct.merge(try await StreamLoad.run(setup.direct, request: request, streams: options.latencyStreams / rounds, concurrency: 1))
                gateway.merge(try await StreamLoad.run(setup.gateway, request: request, streams: options.latencyStreams / rounds, concurrency: 1))
            }
            let directLoad = try await StreamLoad.run(setup.direct, request: request, streams: options.streams, concurrency: options.concurrency)
            let cpuBefore = try setup.process.cpuSeconds()
            let gatewayLoad = try await StreamLoad.run(setup.gateway, request: request, streams: options.streams, concurrency: options.concurrency)
            let gatewayCPU = try setup.process.cpuSeconds() - cpuBefore
            let entries = try await setup.entries()
            let (d, g) = (Percentiles(direct.timeToFirstToken), Percentiles(gateway.timeToFirstToken))
            let (dl, gl) = (Percentiles(directLoad.timeToFirstToken), Percentiles(gatewayLoad.timeToFirstToken))
            return """

                ### \(transport.title): time to first token and streams/s (16 one-word chunks, unpaced)

                | one stream at a time (\(direct.completed) + \(gateway.completed) streams) | direct to simulator | through gateway | added by gateway |
                |---|---:|---:|---:|
                | TTFT p50 | \(micros(d.p50)) | \(micros(g.p50)) | **\(micros(g.p50 - d.p50))** |
                | TTFT p99 | \(micros(d.p99)) | \(micros(g.p99)) | **\(micros(g.p99 - d.p99))** |
                | failures | \(direct.failureSummary) | \(gateway.failureSummary) | |

                | \(options.streams) streams, \(options.concurrency) open | direct to simulator | through gateway |
                |---|---:|---:|
                | streams/s | \(Int(directLoad.streamsPerSecond)) | \(Int(gatewayLoad.streamsPerSecond)) |
                | TTFT p50 / p99 | \(micros(dl.p50)) / \(micros(dl.p99)) | \(micros(gl.p50)) / \(micros(gl.p99)) |
                | failures | \(directLoad.failureSummary) | \(gatewayLoad.failureSummary) |
                | gateway process CPU | | \(String(format: "%.2f", gatewayCPU)) s = \(Int(gatewayCPU / Double(max(1, gatewayLoad.completed)) * 1e6)) µs per stream |
                | bench process CPU (client + simulator) | \(String(format: "%.2f", directLoad.clientCPUSeconds)) s | \(String(format: "%.2f", gatewayLoad.clientCPUSeconds)) s |
                | ledger entries written by the gateway (warm-up included) | | \(entries) |

                """
        }
    }

    private static func interChunk(_ transport: Transport, _ options: Options) async throws -> String {
        // The simulator's Messages answer has at most 24 text pieces.
        let chunks = transport == .messages ? min(24, options.pacedChunks) : options.pacedChunks
        let request = try request(transport, "Benchmark the gateway.", maxTokens: chunks)
        let simulator = ["--tokens-per-second", "\(options.pacedTokensPerSecond)", "--output-tokens", "\(chunks)"]
        return try await withSetup(transport, options, simulator: simulator) { setup in
            _ = try await StreamLoad.run(setup.gateway, request: request, streams: 50, concurrency: 50)
            // Starts spread over one pacing period: chunks arrive evenly instead of in bursts of N.
            let stagger = options.staggerPaced ? Duration.seconds(1 / options.pacedTokensPerSecond) : .zero
            let (direct, gateway, gatewayCPU) = try await setup.pacedRound(request, streams: options.paced, stagger: stagger)
            let (d, g) = (Percentiles(direct.interChunk), Percentiles(gateway.interChunk))
            let (ds, gs) = (Percentiles(direct.steadyInterChunk), Percentiles(gateway.steadyInterChunk))
            let (dt, gt) = (Percentiles(direct.timeToFirstToken), Percentiles(gateway.timeToFirstToken))
            let nominal = 1e6 / options.pacedTokensPerSecond
            return """

                ### \(transport.title): inter-chunk time at \(options.paced) concurrent streams (\(chunks) chunks paced at \
                \(String(format: "%g", options.pacedTokensPerSecond))/s, nominal gap \(String(format: "%.0f", nominal)) µs, \
                \(options.staggerPaced ? "starts spread over one gap" : "all started at once, in phase"))

                | all \(d.count) + \(g.count) gaps | direct to simulator | through gateway | added by gateway |
                |---|---:|---:|---:|
                | gap p50 | \(micros(d.p50)) | \(micros(g.p50)) | \(micros(g.p50 - d.p50)) |
                | gap p99 | \(micros(d.p99)) | \(micros(g.p99)) | \(micros(g.p99 - d.p99)) |
                | gap p99.9 | \(micros(d.p999)) | \(micros(g.p999)) | \(micros(g.p999 - d.p999)) |
                | steady state (\(ds.count) + \(gs.count) gaps begun after the last stream's first token): gap p50 | \(micros(ds.p50)) | \(micros(gs.p50)) | \(micros(gs.p50 - ds.p50)) |
                | steady state: gap p99 | \(micros(ds.p99)) | \(micros(gs.p99)) | **\(micros(gs.p99 - ds.p99))** |
                | TTFT p50 / p99 | \(micros(dt.p50)) / \(micros(dt.p99)) | \(micros(gt.p50)) / \(micros(gt.p99)) | |
                | failures | \(direct.failureSummary) | \(gateway.failureSummary) | |
                | gateway process CPU | | \(String(format: "%.2f", gatewayCPU)) s for \(gateway.completed * chunks) chunks | |

                """
        }
    }

    private static func holdOpen(_ transport: Transport, _ options: Options) async throws -> String {
        // One piece every 2 s: streams stay open (and keep flowing) for as long as the hold lasts.
        let simulator = ["--tokens-per-second", "0.5", "--output-tokens", "8192"]
        let warmup = ChatRequest(model: "gpt-4.1", messages: [.user("Warm up.")], maxTokens: 1)
        let request = ChatRequest(model: "gpt-4.1", messages: [.user("Hold this stream open.")], maxTokens: 8192)
        return try await withSetup(transport, options, simulator: simulator) { setup in
            _ = try await StreamLoad.run(setup.gateway, request: warmup, streams: 200, concurrency: 200)
            try await Task.sleep(for: .seconds(1))
            let baseline = try setup.process.residentBytes()
            let warmEntries = try await setup.entries()
            let opening = ContinuousClock.now
            let process = setup.process
            let held = try await StreamLoad.hold(
                setup.gateway,
                request: request,
                streams: options.hold,
                openingAtOnce: 512,
                deadline: .seconds(600)
            ) { open in
                let openedIn = ContinuousClock.now - opening
                // Let the held streams exchange a few chunks, then take the larger of two readings.
                try await Task.sleep(for: .seconds(3))
                let first = try process.residentBytes()
                try await Task.sleep(for: .seconds(3))
                return (openedIn, max(first, try process.residentBytes()))
            }
            let (openedIn, resident) = held.measured
            let closing = ContinuousClock.now
            var settled = try await setup.entries() - warmEntries
            while settled < held.open, ContinuousClock.now - closing < .seconds(120) {
                try await Task.sleep(for: .milliseconds(200))
                settled = try await setup.entries() - warmEntries
            }
            let settledIn = ContinuousClock.now - closing
            let peak = try setup.process.peakResidentBytes()
            let perStream = Double(resident - baseline) / Double(max(1, held.open)) / 1024
            let failures =
                held.failures.isEmpty ? "0" : held.failures.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            // Held streams should not end: show what the gateway logged, for diagnosis.
            let examples = held.examples.sorted { $0.key < $1.key }.map { "- \($0.key): \($0.value)" }.joined(separator: "\n")
            let log =
                held.failures.isEmpty
                ? "" : "\nFirst error of each kind:\n\n\(examples)\n\nLast lines of the gateway's log:\n\n```\n\(setup.process.outputTail)\n```\n"
            return """

                ### \(transport.title): concurrent open streams and gateway RSS

                | streams asked | open at once | opened in | gateway RSS before | RSS while open | **RSS per open stream** | peak RSS | failures | settled in ledger after close |
                |---:|---:|---:|---:|---:|---:|---:|---|---:|
                | \(options.hold) | \(held.open) | \(String(format: "%.1f", seconds(openedIn))) s | \(mebibytes(baseline)) | \(mebibytes(resident)) | **\(String(format: "%.1f", perStream)) KiB** | \(mebibytes(peak)) | \(failures) | \(settled) in \(String(format: "%.1f", seconds(settledIn))) s |

                \(log)
                """
        }
    }

    // MARK: - Setup

    /// The simulator (in this process), a gateway process relaying to it, and a client for each side.
    struct Setup: Sendable {
        let process: BenchProcess
        let ledgerPath: String
        let direct: any ChatStreamingClient
        let gateway: any ChatStreamingClient

        func entries() async throws -> Int {
            try await SQLiteLedger(path: ledgerPath).entryCount()
        }

        /// `streams` paced streams directly, then as many through the gateway, all open at once,
        /// with the gateway process's CPU seconds over its half.
        func pacedRound(
            _ request: ChatRequest,
            streams: Int,
            stagger: Duration
        ) async throws -> (direct: StreamLoad.Result, gateway: StreamLoad.Result, gatewayCPU: Double) {
            let direct = try await StreamLoad.run(self.direct, request: request, streams: streams, concurrency: streams, stagger: stagger)
            let before = try process.cpuSeconds()
            let gateway = try await StreamLoad.run(self.gateway, request: request, streams: streams, concurrency: streams, stagger: stagger)
            return (direct, gateway, try process.cpuSeconds() - before)
        }
    }

    static func withSetup(
        _ transport: Transport,
        _ options: Options,
        simulator: [String],
        _ body: @Sendable (Setup) async throws -> String
    ) async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appending(path: "tollgate-gateway-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledgerPath = folder.appending(path: "ledger.sqlite").path
        let key = try await benchTeamKey(ledgerPath: ledgerPath)
        let relay = try await BenchProcess(
            executable: options.tollgate,
            command: "relay-sim",
            arguments: simulator,
            environment: [:],
            log: folder.appending(path: "relay-sim.log"),
            listeningPrefix: "relay simulator listening on "
        )
        let upstream = transport == .ws ? RelayWebSocketProtocol.url(port: relay.port) : "http://127.0.0.1:\(relay.port)/v1/chat/completions"
        let process: BenchProcess
        do {
            process = try await BenchProcess(
                executable: options.tollgate,
                command: "serve",
                arguments: ["--upstream", upstream, "--grace-seconds", "5"],
                // Without a folder, an empty TOLLGATE_TOKENIZER_DIR and an empty cache leave only the built-in
                // vocabularies, whatever the shell running the benchmark holds.
                environment: [
                    "TOLLGATE_DB": ledgerPath, "TOLLGATE_TOKENIZER_DIR": options.tokenizerDir ?? "",
                    "XDG_CACHE_HOME": folder.appending(path: "cache").path, "TOLLGATE_UPSTREAM_KEY": "sk-bench-upstream",
                ],
                log: folder.appending(path: "serve.log"),
                listeningPrefix: "tollgate gateway listening on "
            )
        } catch {
            _ = await relay.stop()
            throw error
        }
        let setup = Setup(
            process: process,
            ledgerPath: ledgerPath,
            direct: client(transport, port: relay.port, key: "sk-bench-upstream"),
            gateway: client(transport, port: process.port, key: key)
        )
        let outcome: Result<String, any Error>
        do {
            outcome = .success(try await body(setup))
        } catch {
            outcome = .failure(error)
        }
        let status = await process.stop()
        _ = await relay.stop()
        if status != 0 { throw BenchFailure("tollgate serve exited with status \(status); its output:\n\(process.outputTail)") }
        return try outcome.get()
    }

    private static func client(_ transport: Transport, port: Int, key: String) -> any ChatStreamingClient {
        switch transport {
        case .sse, .messages:
            // For Messages the client posts to the `/v1/messages` beside this URL.
            return ChatCompletionsClient(
                url: "http://127.0.0.1:\(port)/v1/chat/completions",
                apiKey: key,
                configuration: .init(connectTimeout: .seconds(60), firstByteTimeout: .seconds(120), idleTimeout: .seconds(120)),
                httpClient: StreamingHTTPClient.shared
            )
        case .ws:
            return RelayWebSocketClient(
                url: RelayWebSocketProtocol.url(port: port),
                apiKey: key,
                configuration: .init(handshakeTimeout: .seconds(60), heartbeat: nil, retry: .init(maxAttempts: 1))
            )
        }
    }

    /// The request a part sends: Chat Completions for gpt-4.1, or a streamed Messages body for
    /// claude-sonnet-4.5 (then the client posts it to `/v1/messages`).
    static func request(_ transport: Transport, _ prompt: String, maxTokens: Int) throws -> ChatRequest {
        guard transport == .messages else { return ChatRequest(model: "gpt-4.1", messages: [.user(prompt)], maxTokens: maxTokens) }
        let json = #"{"model":"claude-sonnet-4.5","max_tokens":\#(maxTokens),"stream":true,"messages":[{"role":"user","content":"\#(prompt)"}]}"#
        return ChatRequest(
            model: "claude-sonnet-4.5",
            messages: [.user(prompt)],
            maxTokens: maxTokens,
            body: try ChatRequestBody(bytes: Array(json.utf8), api: .anthropicMessages)
        )
    }

    /// A team whose budget no benchmark run can exhaust, and its key.
    private static func benchTeamKey(ledgerPath: String) async throws -> String {
        let ledger = try SQLiteLedger(path: ledgerPath)
        let pricing = try PricingTable.load(ShippedData.pricingFiles.map { PricingFile(path: $0.path, contents: $0.contents) })
        let admin = QuotaAdmin(store: ledger, pricing: pricing)
        _ = try await admin.createTeam(name: "bench", budget: try Budget(limit: Money(parsing: "100000000", .cny), period: .monthly))
        return try await admin.createKey(team: "bench", label: "gateway benchmark").secret
    }

    /// Thousands of sockets per process: raises the soft open-file limit (children inherit it) as far
    /// as allowed, and the hard one when permitted (root with CAP_SYS_RESOURCE); returns the limit set.
    private static func raiseOpenFileLimit(to count: Int) -> Int {
        let wanted = rlim_t(count)
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        guard limit.rlim_cur < wanted else { return Int(limit.rlim_cur) }
        var raised = rlimit(rlim_cur: wanted, rlim_max: max(wanted, limit.rlim_max))
        if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) != 0 {
            raised = rlimit(rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max)
            setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised)
        }
        return Int(raised.rlim_cur)
    }

    // MARK: - Formatting

    static func nanoseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(nanoseconds(duration)) / 1e9
    }

    static func micros(_ nanoseconds: Int) -> String {
        String(format: "%.0f µs", Double(nanoseconds) / 1000)
    }

    private static func mebibytes(_ bytes: Int) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}

extension GatewayBench.Transport {
    var title: String {
        switch self {
        case .sse: "SSE (`/v1/chat/completions`)"
        case .ws: "WebSocket (`\(RelayWebSocketProtocol.path)`)"
        case .messages: "Anthropic SSE (`/v1/messages`)"
        }
    }
}

extension StreamLoad.Result {
    mutating func merge(_ other: StreamLoad.Result) {
        timeToFirstToken += other.timeToFirstToken
        interChunk += other.interChunk
        completed += other.completed
        relayedEvents += other.relayedEvents
        outputDeltas += other.outputDeltas
        failures.merge(other.failures, uniquingKeysWith: +)
        elapsed += other.elapsed
        clientCPUSeconds += other.clientCPUSeconds
    }
}
