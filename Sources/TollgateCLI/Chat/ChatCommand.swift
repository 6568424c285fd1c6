import ArgumentParser
import Foundation
import Logging
import TollgateCore
import TollgateMetering
import TollgateRelaySim
import TollgateStreaming

/// `tollgate chat --team NAME --model MODEL [--max-tokens N] "prompt"`: one metered stream.
///
/// Text goes to stdout as it arrives; tokens and cost go to stderr. A budget refusal exits with
/// status 3 and says which budget, what is left and when it resets.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Stream one prompt through the metered client and print what it cost.",
        discussion:
            "Exit status: 0 done, 1 error, 3 refused by the budget (it is spent) or cut off by it mid-stream, 75 budget busy (unspent money would cover the request but streams in flight hold it) or rate limited (the team's requests/tokens per minute or streams): retry shortly."
    )

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var pricing: PricingOptions
    @OptionGroup var tokenizers: TokenizerOptions
    @OptionGroup var upstream: UpstreamOptions
    @Option(help: "Team whose budget pays.") var team: String
    @Option(help: "Model id, e.g. gpt-4.1.") var model: String
    @Option(name: .customLong("max-tokens"), help: "Most output tokens (default: the model's maximum).") var maxTokens: Int?
    @Option(help: "A system message to send first.") var system: String?
    @Option(name: .customLong("lease-seconds"), help: "How long a hold outlives a crashed process before it is reclaimed.")
    var leaseSeconds = 30
    @Argument(help: "The prompt ('-' reads stdin).") var prompt: String

    func run() async throws {
        let context = try await CommandContext(ledger, pricing)
        let team = try await context.ledger.team(named: team)
        try await LeaseReclaimer(store: context.ledger, pricing: context.pricing).reclaim()
        let text = prompt == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : prompt
        let request = ChatRequest(model: model, messages: (system.map { [.system($0)] } ?? []) + [.user(text)], maxTokens: maxTokens)
        let writer = LedgerWriter(store: context.ledger, leaseDuration: .seconds(leaseSeconds))
        let writing = Task { try await writer.run() }
        defer { writing.cancel() }
        let registry = tokenizers.registry()
        let (store, table, key) = (context.ledger, context.pricing, upstream.key)
        let stream = { @Sendable (client: any ChatStreamingClient) async throws -> Int32 in
            let metered = MeteredClient(store: store, pricing: table, tokenizers: registry, upstream: client, writer: writer)
            return try await ChatSession.run(metered, team: team, request: request)
        }
        let status: Int32
        if let url = upstream.url {
            status = try await stream(try upstream.client(url: url))
        } else {
            Console.error("note: TOLLGATE_UPSTREAM_URL is not set — streaming from the built-in relay simulator (simulated text, no real model).")
            let counter = SimulatorTokenCounting.make(registry, catalog: table.catalog).0
            var quiet = Logger(label: "tollgate.relay-sim")
            quiet.logLevel = .warning
            status = try await withRelaySimulator(tokenCounter: counter, logger: quiet) { port in
                try await stream(RelayWebSocketClient(url: RelayWebSocketProtocol.url(port: port), apiKey: key))
            }
        }
        writing.cancel()
        try? await writing.value
        if status != 0 { throw ExitCode(status) }
    }
}
