import Foundation
import Logging
import ServiceLifecycle
import TollgateDefaults
import TollgateGateway
import TollgateMetering
import TollgateStreaming

/// The gateway part of `tollgate demo`: runs what `serve` runs (`GatewayServices`) on an ephemeral
/// port for the duration of `body`, and streams requests through it as an OpenAI-SSE client would.
enum DemoGateway {
    static func run(metering: MeteredClient, logger: Logger, _ body: @Sendable (Int) async throws -> Void) async throws {
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let gateway = GatewayServices(
            settings: GatewaySettings(port: 0),
            metering: metering,
            pricingFiles: { ShippedData.pricingTableFiles },
            onServerRunning: { port in
                portSink.yield(port)
                portSink.finish()
            },
            logger: logger
        )
        let group = gateway.group(logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CLIError("the demo gateway did not start") }
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// One streamed request, printed as it arrives, then what it cost or why it stopped.
    static func stream(port: Int, key: String, team: String, model: String) async throws {
        let client = ChatCompletionsClient(url: "http://127.0.0.1:\(port)/v1/chat/completions", apiKey: key)
        Console.line("-- \(team) → \(model):")
        var text = ""
        do {
            for try await event in client.stream(ChatRequest(model: model, messages: [.user("Tell me about relays")], maxTokens: 200)) {
                switch event {
                case .textDelta(let delta):
                    text += delta
                    Console.output(delta)
                case .usage(let usage):
                    Console.line("\n   \(usage.inputTokens) input + \(usage.outputTokens) output tokens")
                default:
                    break
                }
            }
        } catch let error as StreamingError {
            Console.line("\n   stopped: \(error.upstreamMessage ?? error.description)")
        }
        if text.isEmpty { Console.line("") }
    }
}
