import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TollgateCore
import TollgateDefaults
import TollgateRelaySim
import TollgateStreaming
import TollgateTokenizers

/// `tollgate relay-sim`: a local relay speaking the relay WebSocket protocol and OpenAI-compatible
/// SSE, deterministic, with injectable faults. The upstream of tests, benchmarks and a first run.
struct RelaySimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay-sim",
        abstract: "Run a local relay simulator (WebSocket \(RelayWebSocketProtocol.path), SSE /v1/chat/completions, /v1/models).",
        discussion: """
            Generated text is a function of (model, prompt, seed). Usage is counted with the model's tokenizer \
            when its vocabulary is found (see --tokenizer-dir), else with a stand-in that counts word and \
            punctuation runs. Per-request X-Sim-* headers override the flags (see SimulatorHeader).
            """
    )

    @OptionGroup var tokenizers: TokenizerOptions
    @Option(help: "Interface to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind (0 picks a free one).") var port = 8787
    @Option(name: .customLong("api-key"), help: "Accept only this key (default: any non-empty key).") var apiKey: String?
    @Option(name: .customLong("chunk-size"), help: "Text pieces per content chunk.") var chunkSize = 1
    @Option(name: .customLong("tokens-per-second"), help: "Pacing in pieces per second (default: as fast as read).") var tokensPerSecond: Double?
    @Option(name: .customLong("ttft-ms"), help: "Delay before the first content chunk, in milliseconds.") var ttftMilliseconds = 0
    @Option(name: .customLong("output-tokens"), help: "Pieces per response unless max_tokens is lower.") var outputTokens = 32
    @Flag(name: .customLong("no-usage"), help: "Don't report usage (as the seed relay's WebSocket doesn't).") var noUsage = false
    @Option(name: .customLong("drop-after"), help: "Fault: drop the connection after N chunks.") var dropAfter: Int?
    @Option(name: .customLong("error-after"), help: "Fault: send an error frame after N chunks.") var errorAfter: Int?
    @Option(name: .customLong("stall-after"), help: "Fault: stall after N chunks.") var stallAfter: Int?
    @Option(name: .customLong("stall-ms"), help: "How long a stall lasts, in milliseconds.") var stallMilliseconds = 60_000
    @Flag(name: .customLong("reject-key"), help: "Fault: reject every key (401).") var rejectKey = false
    @Flag(name: .customLong("reject-model"), help: "Fault: reject every model (400 listing valid models).") var rejectModel = false
    @Flag(name: .customLong("rate-limit"), help: "Fault: answer 429 to every request.") var rateLimit = false
    @Option(
        name: .customLong("replay"),
        help:
            "Folder of recorded answers (NAME.sse, NAME.chunks.txt, NAME.json) a request replays with \"tollgate_sim\": {\"replay\": \"NAME\"} or X-Sim-Replay: NAME."
    )
    var replayDirectory: String?

    func validate() throws {
        if let replayDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: replayDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError(
                    "--replay \(replayDirectory) is not a folder: give the folder that holds the recorded answers (for example Tests/Fixtures/openai-chat)."
                )
            }
        }
    }

    func run() async throws {
        let configuration = RelaySimulatorConfiguration(
            host: host,
            port: port,
            apiKey: apiKey,
            chunkSize: chunkSize,
            tokensPerSecond: tokensPerSecond,
            timeToFirstToken: .milliseconds(ttftMilliseconds),
            outputTokens: outputTokens,
            reportUsage: !noUsage,
            faults: .init(
                dropAfterChunks: dropAfter,
                errorAfterChunks: errorAfter,
                stallAfterChunks: stallAfter,
                stallDuration: .milliseconds(stallMilliseconds),
                rejectKey: rejectKey,
                rejectModel: rejectModel,
                rateLimit: rateLimit
            ),
            replayDirectory: replayDirectory
        )
        let (counter, counting) = SimulatorTokenCounting.make(tokenizers.registry(), catalog: try PricingTable.shipped().catalog)
        let logger = Logger(label: "tollgate.relay-sim")
        let host = self.host
        let app = buildApplication(
            configuration: configuration,
            tokenCounter: counter,
            onServerRunning: { port in
                // Unbuffered, so a script (or `tollgate-bench gateway`) waiting for the port sees it at once.
                Console.line(
                    "relay simulator listening on \(host):\(port) — ws://\(host):\(port)\(RelayWebSocketProtocol.path), http://\(host):\(port)/v1/chat/completions"
                )
                Console.line("usage counted with: \(counting)")
            },
            logger: logger
        )
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        try await group.run()
    }
}
