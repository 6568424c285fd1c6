import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import Synchronization
import TollgateStreaming

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The relay's WebSocket endpoint, `/v1/ws/stream`, with both request shapes.
struct WebSocketRelayResponder: Sendable {
    static let path = RouterPath(RelayWebSocketProtocol.path)
    static let modelHeader = HTTPField.Name(RelayWebSocketProtocol.modelHeader)!

    let configuration: RelaySimulatorConfiguration
    let tokenCounter: SimulatorTokenCounter
    let metrics: RelaySimulatorMetrics

    func register(on router: Router<SimulatorRequestContext>) {
        router.ws(
            Self.path,
            shouldUpgrade: { request, _ in
                let scenario = SimulatedScenario(configuration: configuration, headers: request.headers)
                if let refusal = scenario.refuseAttempts, metrics.shouldRefuse(key: refusal.key, count: refusal.count) {
                    return .dontUpgrade
                }
                return .upgrade([:])
            },
            onUpgrade: { inbound, outbound, context in
                metrics.update { $0.webSocketsOpened += 1 }
                defer { metrics.update { $0.webSocketsClosed += 1 } }
                let session = WebSocketRelaySession(
                    configuration: configuration,
                    tokenCounter: tokenCounter,
                    metrics: metrics,
                    headers: context.request.headers,
                    channel: context.requestContext.channel,
                    outbound: outbound
                )
                do {
                    try await session.run(inbound: inbound)
                } catch {
                    context.logger.debug("relay-sim WebSocket session ended with an error", metadata: ["error": "\(error)"])
                }
            }
        )
    }
}

/// One simulated relay WebSocket session: reads client frames while a response streams, so pings
/// are answered and a client close is noticed mid-stream.
struct WebSocketRelaySession: Sendable {
    let configuration: RelaySimulatorConfiguration
    let tokenCounter: SimulatorTokenCounter
    let metrics: RelaySimulatorMetrics
    let headers: HTTPFields
    let channel: any Channel
    let outbound: WebSocketOutboundWriter

    private var scenario: SimulatedScenario { SimulatedScenario(configuration: configuration, headers: headers) }

    func run(inbound: WebSocketInboundStream) async throws {
        let scenario = self.scenario
        let headerKey = headers[.authorization].flatMap(Self.bearerToken)
        let headerModel = headers[WebSocketRelayResponder.modelHeader]
        let generating = GenerationFlag()
        var session: (model: String, config: RelayGenerationConfig)?
        var history: [ChatMessage] = []
        let decoder = JSONDecoder()

        try await withThrowingTaskGroup(of: Void.self) { group in
            func start(model: String, messages: [ChatMessage], config: RelayGenerationConfig?) async throws {
                guard generating.begin() else {
                    try await send(
                        .init(
                            type: RelayServerFrame.errorType,
                            message: "A response is already streaming on this session.",
                            code: "invalid_request",
                            status: 400
                        )
                    )
                    return
                }
                group.addTask {
                    defer { generating.end() }
                    try await generate(model: model, messages: messages, config: config, scenario: scenario)
                }
            }

            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message,
                    let frame = try? decoder.decode(RelayClientFrame.self, from: Data(text.utf8))
                else {
                    try await send(
                        .init(
                            type: RelayServerFrame.errorType,
                            message: "Frames must be JSON objects with a 'type' field.",
                            code: "invalid_request",
                            status: 400
                        )
                    )
                    continue
                }
                switch frame.type {
                case RelayClientFrame.sessionStartType:
                    let model = frame.model ?? headerModel
                    guard try await admit(key: frame.auth?.apiKey ?? headerKey, model: model, scenario: scenario), let model else { return }
                    session = (model, frame.config ?? RelayGenerationConfig())
                    try await send(.init(type: RelayServerFrame.sessionEstablishedType, sessionID: Self.sessionID(), model: model))
                case RelayClientFrame.chatMessageType:
                    guard let session else {
                        try await send(
                            .init(
                                type: RelayServerFrame.errorType,
                                message: "Send session.start before chat.message.",
                                code: "invalid_request",
                                status: 400
                            )
                        )
                        continue
                    }
                    history.append(ChatMessage(role: frame.role ?? .user, content: frame.content ?? ""))
                    if (frame.role ?? .user) == .user {
                        try await start(model: session.model, messages: history, config: session.config)
                    }
                case RelayClientFrame.chatCompletionType:
                    let model = frame.model ?? headerModel
                    guard try await admit(key: frame.auth?.apiKey ?? headerKey, model: model, scenario: scenario), let model else { return }
                    try await send(.init(type: RelayServerFrame.sessionEstablishedType, sessionID: Self.sessionID(), model: model))
                    try await start(model: model, messages: frame.messages ?? [], config: frame.config)
                default:
                    continue
                }
            }
            if generating.isBusy {
                metrics.update { $0.webSocketsClosedByClientMidStream += 1 }
            }
            group.cancelAll()
        }
    }

    /// Sends an error frame and closes when the request must be refused; true when admitted.
    private func admit(key: String?, model: String?, scenario: SimulatedScenario) async throws -> Bool {
        guard let rejection = SimulatedRejection.check(apiKey: key, model: model, scenario: scenario, configuration: configuration) else {
            return true
        }
        try await send(.init(type: RelayServerFrame.errorType, message: rejection.message, code: rejection.code, status: rejection.status))
        try await outbound.close(.policyViolation, reason: rejection.code)
        return false
    }

    private func generate(model: String, messages: [ChatMessage], config: RelayGenerationConfig?, scenario: SimulatedScenario) async throws {
        let response = SimulatedResponse(
            model: model,
            prompt: SimulatedText.promptText(messages),
            maxTokens: config?.maxTokens,
            seed: SimulatedResponse.seed(extras: config?.extras ?? [:], scenario: scenario),
            scenario: scenario,
            tokenCounter: tokenCounter
        )
        let pacing = SimulatedPacing(scenario: scenario)
        try await pacing.waitForFirstToken()
        try await send(.init(type: RelayServerFrame.contentBlockStartType, index: 0))
        for index in 0...response.chunks.count {
            let faults = scenario.faults
            if faults.dropAfterChunks == index {
                try await channel.close()
                return
            }
            if faults.errorAfterChunks == index {
                let key = scenario.presentedAuthorization.flatMap(Self.bearerToken)
                try await send(
                    .init(
                        type: RelayServerFrame.errorType,
                        message: "Upstream provider failed mid-stream (simulated)." + scenario.keyEcho(key),
                        code: "upstream_error",
                        status: 502
                    )
                )
                try await outbound.close(.normalClosure, reason: "upstream error")
                return
            }
            if faults.stallAfterChunks == index {
                try await Task.sleep(for: faults.stallDuration)
            }
            guard index < response.chunks.count else { break }
            if index > 0 { try await pacing.waitBetweenChunks() }
            try await send(.init(type: RelayServerFrame.contentDeltaType, index: 0, delta: .init(content: response.chunks[index])))
            metrics.update { $0.chunksSent += 1 }
        }
        let reported = scenario.reportedUsage(input: response.inputTokens, output: response.outputTokens)
        let usage = scenario.reportUsage ? RelayServerFrame.Usage(inputTokens: reported.input, outputTokens: reported.output) : nil
        try await send(.init(type: RelayServerFrame.messageDoneType, usage: usage, finishReason: response.finishReason))
        metrics.update { $0.completedResponses += 1 }
    }

    private func send(_ frame: RelayServerFrame) async throws {
        let encoder = JSONEncoder()
        try await outbound.write(.text(String(decoding: try encoder.encode(frame), as: UTF8.self)))
    }

    static func bearerToken(_ header: String) -> String? {
        let prefix = "Bearer "
        guard header.hasPrefix(prefix) else { return nil }
        return String(header.dropFirst(prefix.count).drop(while: { $0 == " " }))
    }

    private static func sessionID() -> String {
        "sim-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }
}

/// Whether a response is streaming on a session; shared by the reader and the generator task.
final class GenerationFlag: Sendable {
    private let busy = Mutex(false)

    /// Marks a response as started; false when one is already streaming.
    func begin() -> Bool {
        busy.withLock { busy in
            defer { busy = true }
            return !busy
        }
    }

    func end() { busy.withLock { $0 = false } }

    var isBusy: Bool { busy.withLock { $0 } }
}
