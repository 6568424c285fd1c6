import HummingbirdWSClient
import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Streams chat responses from the relay's WebSocket endpoint (`wss://HOST/v1/ws/stream`).
///
/// Each call to ``stream(_:)`` opens its own connection when iterated and closes it with code 1000
/// when the message is done or the consumer stops. The client holds no resources itself; sockets
/// run on swift-nio's shared `MultiThreadedEventLoopGroup.singleton`.
public struct RelayWebSocketClient: ChatStreamingClient {
    /// The WebSocket URL, `ws://` (loopback tests) or `wss://`.
    public let url: String
    /// Settings for handshakes, retries and heartbeats.
    public let configuration: Configuration
    private let apiKey: String
    private let logger: Logger

    /// Creates a client for `url` authenticating with `apiKey`.
    public init(
        url: String,
        apiKey: String,
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "tollgate.streaming.websocket")
    ) {
        self.url = url
        self.apiKey = apiKey
        self.configuration = configuration
        self.logger = logger
    }

    /// The response as events; see ``ChatEventStream`` for lifetime and back-pressure.
    public func stream(_ request: ChatRequest) -> ChatEventStream {
        let frames: [String]
        do {
            frames = try requestFrames(for: request)
        } catch let error as StreamingError {
            return .failing(error)
        } catch {
            return .failing(StreamingError(.invalidRequest, message: "could not encode the request: \(error)"))
        }
        let connection = RelayWebSocketConnection(
            url: url,
            headers: upgradeHeaders(model: request.model),
            frames: frames,
            configuration: configuration,
            logger: logger,
            scrubber: SecretScrubber(secrets: [apiKey])
        )
        return ChatEventStream { handoff in
            try await connection.run(into: handoff)
        }.scrubbing(connection.scrubber)
    }

    /// A request with the client's own body must fit the relay protocol (``ChatRequestBody/relayProtocolMessages()``).
    public func refusal(for request: ChatRequest) -> StreamingError? {
        guard let body = request.body else { return nil }
        if body.api == .anthropicMessages {
            return StreamingError(
                .invalidRequest,
                message: "the gateway's upstream is a relay WebSocket, which can't carry Anthropic Messages requests: "
                    + "its operator must configure an HTTP(S) upstream (TOLLGATE_UPSTREAM_URL, or TOLLGATE_ANTHROPIC_UPSTREAM_URL for /v1/messages)"
            )
        }
        do {
            _ = try body.relayProtocolMessages()
            return nil
        } catch {
            return error as? StreamingError
        }
    }

    private func upgradeHeaders(model: String) -> [(name: String, value: String)] {
        [("Authorization", "Bearer \(apiKey)"), (RelayWebSocketProtocol.modelHeader, model)] + configuration.additionalHeaders
    }

    /// The JSON text frames that carry `request` in the configured shape.
    func requestFrames(for request: ChatRequest) throws -> [String] {
        try Self.validate(request, apiKey: apiKey)
        let config = RelayGenerationConfig(
            temperature: request.temperature,
            maxTokens: request.maxTokens,
            topP: request.topP,
            stream: true,
            extras: request.extras
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func text(_ frame: RelayClientFrame) throws -> String {
            String(decoding: try encoder.encode(frame), as: UTF8.self)
        }
        switch configuration.requestShape {
        case .chatCompletion:
            let frame = RelayClientFrame(
                type: RelayClientFrame.chatCompletionType,
                model: request.model,
                config: config,
                messages: request.messages,
                stream: true
            )
            return [try text(frame)]
        case .sessionStart:
            let userTurns = request.messages.filter { $0.role == .user }.count
            guard userTurns == 1, request.messages.last?.role == .user else {
                throw StreamingError(
                    .invalidRequest,
                    message: "the session.start shape carries exactly one user turn, sent last (got \(userTurns) user "
                        + "messages); use RequestShape.chatCompletion to send a multi-turn history"
                )
            }
            let start = RelayClientFrame(
                type: RelayClientFrame.sessionStartType,
                model: request.model,
                auth: .init(apiKey: apiKey),
                config: config
            )
            let messages = try request.messages.map {
                try text(RelayClientFrame(type: RelayClientFrame.chatMessageType, content: $0.content, role: $0.role))
            }
            return [try text(start)] + messages
        }
    }

    static func validate(_ request: ChatRequest, apiKey: String) throws {
        guard !apiKey.isEmpty else {
            throw StreamingError(.invalidRequest, message: "the API key is empty; pass the relay key issued for this deployment")
        }
        guard !request.model.isEmpty else {
            throw StreamingError(.invalidRequest, message: "the request has no model; set ChatRequest.model, e.g. \"gpt-4.1\"")
        }
        guard !request.messages.isEmpty || request.body != nil else {
            throw StreamingError(.invalidRequest, message: "the request has no messages; add at least one user message")
        }
    }
}
