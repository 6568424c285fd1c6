import Foundation
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import TollgateMetering
import TollgateStorage
import TollgateStreaming

/// The gateway's side of one client connection on `/v1/ws/stream` (the client side is
/// TollgateStreaming's `RelayWebSocketClientAttempt`): `session.start` then `chat.message` turns
/// (history kept for the session), or one-shot `chat.completion` frames, each turn a metered stream.
///
/// Refusals are an `error` event carrying the same `code` as the HTTP API, then a close. On graceful
/// shutdown an idle session is closed at once and a streaming turn runs on until it ends or the
/// grace period does, as SSE streams do; either way the client gets a `gateway_shutdown` error event
/// and a `1001 going away` close, and a cut turn is settled as `shutdown` for what was delivered.
struct RelayWebSocketServerSession: Sendable {
    let metering: MeteredClient
    let authenticator: GatewayAuthenticator
    let outbound: WebSocketOutboundWriter
    let shutdown: ShutdownDeadline
    let headerKey: String?
    let headerModel: String?
    let observers: GatewayObservers

    private struct Started {
        var caller: (team: Team, key: APIKeyRecord)
        /// The key as presented, to check again before every turn.
        let presentedKey: String
        let model: String
        let config: RelayGenerationConfig?
        var history: [ChatMessage] = []
        var historyBytes = 0
    }

    /// Frames a client may send while a turn streams, before the session is refused.
    static let maxQueuedFrames = 64
    /// Most messages a session's history may hold (replies included) before it is refused.
    static let maxHistoryMessages = 256
    /// Most bytes of message content a session's history may hold before it is refused.
    static let maxHistoryBytes = 1 << 20

    /// What the session's loop reads: the client's frames, and the news that shutdown started.
    private enum Input: Sendable {
        case frame(WebSocketMessage)
        case shutdownStarted
    }

    /// Runs the session in the connection's own task, beside one child task that reads the client.
    ///
    /// Every task a session keeps costs its deepest stack for the session's whole life, so the turn
    /// loop runs here rather than in a child of its own, and shutdown arrives as an input (from a
    /// ``ShutdownDeadline`` callback) rather than through a task waiting for it.
    func run(_ inbound: WebSocketInboundStream) async throws {
        let (inputs, received) = AsyncThrowingStream.makeStream(of: Input.self, bufferingPolicy: .bufferingOldest(Self.maxQueuedFrames))
        let registration = shutdown.onStart { received.yield(.shutdownStarted) }
        defer { shutdown.removeAction(registration) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await Self.read(inbound, into: received) }
            // The session ends when its frames do or when it closed itself; the reader goes with it.
            do {
                try await serve(inputs)
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
    }

    /// Reads all the time, even mid-turn: the WebSocket library answers pings and takes pongs only
    /// while the inbound stream is read, and its 30 s auto-ping closes a connection whose pong sat
    /// unread (every turn longer than a minute was cut that way).
    private static func read(_ inbound: WebSocketInboundStream, into received: AsyncThrowingStream<Input, any Error>.Continuation) async {
        do {
            for try await message in inbound.messages(maxSize: RelayWebSocketEndpoint.maxFrameSize) {
                if case .dropped = received.yield(.frame(message)) {
                    received.finish(
                        throwing: GatewayRefusal.invalidRequest(
                            "more than \(Self.maxQueuedFrames) frames arrived while a turn was streaming: wait for message_done before the next chat.message"
                        )
                    )
                    return
                }
            }
            received.finish()
        } catch {
            received.finish(throwing: error)
        }
    }

    /// The session's frames, one at a time. Shutdown closes it between frames: at once when idle
    /// (the `shutdownStarted` input), after the frame in progress when busy, as SSE streams run on.
    private func serve(_ inputs: AsyncThrowingStream<Input, any Error>) async throws {
        var session: Started?
        do {
            for try await input in inputs {
                guard case .frame(let message) = input, !shutdown.started else {
                    try await refuse(.sessionClosedForShutdown, goingAway: true)
                    return
                }
                guard try await handle(message, session: &session) else { return }
                if shutdown.started {
                    try await refuse(.sessionClosedForShutdown, goingAway: true)
                    return
                }
            }
        } catch let refusal as GatewayRefusal {
            try await refuse(refusal)
        }
    }

    /// Handles one client frame; `false` when the connection was closed (refused or cut).
    private func handle(_ message: WebSocketMessage, session: inout Started?) async throws -> Bool {
        // This frame stays allocated while a turn streams: decoding and error frames are built out of line.
        let frame: RelayClientFrame
        switch Self.checkedFrame(message) {
        case .success(let checked): frame = checked
        case .failure(let refusal):
            try await sendInvalidRequest(refusal.message)
            return true
        }
        switch frame.type {
        case RelayClientFrame.sessionStartType:
            guard let started = try await start(frame) else { return false }
            session = started
        case RelayClientFrame.chatMessageType:
            return try await chatMessage(frame, session: &session)
        case RelayClientFrame.chatCompletionType:
            return try await chatCompletion(frame)
        default:
            try await sendInvalidRequest("unknown frame type '\(frame.type)': use session.start, chat.message or chat.completion")
        }
        return true
    }

    /// A `chat.message` turn of a started session (history kept); `false` when the connection was closed.
    @inline(never)
    private func chatMessage(_ frame: RelayClientFrame, session: inout Started?) async throws -> Bool {
        guard var current = session else {
            try await sendInvalidRequest("send session.start (with model and auth) before chat.message")
            return true
        }
        let content = frame.content ?? ""
        // Every message is sent again, and billed as input, on each later turn (as the relay does):
        // past the cap the session is refused rather than left to grow without admission.
        guard current.history.count < Self.maxHistoryMessages, current.historyBytes + content.utf8.count <= Self.maxHistoryBytes else {
            try await refuseHistoryFull()
            return false
        }
        current.history.append(ChatMessage(role: frame.role ?? .user, content: content))
        current.historyBytes += content.utf8.count
        if (frame.role ?? .user) == .user {
            // The key may have been revoked, or its team disabled, since the session started.
            guard let caller = try await recheck(current.presentedKey) else { return false }
            current.caller = caller
            guard let reply = try await turn(current.caller, request: Self.request(current.model, current.history, current.config)) else {
                return false
            }
            current.history.append(.assistant(reply))
            current.historyBytes += reply.utf8.count
        }
        session = current
        return true
    }

    /// The caller behind `key` now; refuses and closes (`nil`) when it was revoked or its team disabled.
    @inline(never)
    private func recheck(_ key: String) async throws -> (team: Team, key: APIKeyRecord)? {
        do {
            return try await authenticator.authenticate(key: key)
        } catch {
            let refusal = GatewayRefusal(error)
            observers.refused(refusal, team: nil)
            try await refuse(refusal)
            return nil
        }
    }

    @inline(never)
    private func refuseHistoryFull() async throws {
        try await refuse(.historyFull(messages: Self.maxHistoryMessages, bytes: Self.maxHistoryBytes))
    }

    /// A one-shot `chat.completion` (its own auth and history); `false` when the connection was closed.
    @inline(never)
    private func chatCompletion(_ frame: RelayClientFrame) async throws -> Bool {
        guard let started = try await start(frame) else { return false }
        let request = Self.request(started.model, frame.messages ?? [], frame.config)
        return try await turn(started.caller, request: request) != nil
    }

    /// The frame, decoded and its request fields checked by the same ``ChatRequestRules`` as HTTP
    /// bodies, so a bad field is refused before any admission.
    @inline(never)
    private static func checkedFrame(_ message: WebSocketMessage) -> Result<RelayClientFrame, GatewayRefusal> {
        let notAFrame = GatewayRefusal.invalidRequest("frames must be JSON objects with a 'type' field")
        guard case .text(let text) = message else { return .failure(notAFrame) }
        let frame: RelayClientFrame
        let data = Data(text.utf8)
        do {
            frame = try JSONDecoder().decode(RelayClientFrame.self, from: data)
        } catch let error as DecodingError {
            return .failure(ChatRequestRules.refusal(error, in: data) ?? notAFrame)
        } catch {
            return .failure(notAFrame)
        }
        do {
            if let config = frame.config { _ = try ChatRequestRules.generation(maxTokens: config.maxTokens, extras: config.extras) }
            if frame.type == RelayClientFrame.chatCompletionType { try ChatRequestRules.check(messages: frame.messages ?? []) }
        } catch {
            return .failure(GatewayRefusal(error))
        }
        return .success(frame)
    }

    /// An `invalid_request` error event; the session stays open.
    @inline(never)
    private func sendInvalidRequest(_ message: String) async throws {
        try await send(
            .init(
                type: RelayServerFrame.errorType,
                message: message,
                code: RefusalCode.invalidRequest.rawValue,
                status: Int(RefusalCode.invalidRequest.status.code)
            )
        )
    }

    /// Authenticates and checks the model; sends `session_established`, or refuses and closes (`nil`).
    @inline(never)
    private func start(_ frame: RelayClientFrame) async throws -> Started? {
        do {
            let key = frame.auth?.apiKey ?? headerKey
            let caller = try await authenticator.authenticate(key: key)
            guard let model = frame.model ?? headerModel else {
                throw GatewayRefusal.invalidRequest("no model: put \"model\" in the frame or send the \(RelayWebSocketProtocol.modelHeader) header")
            }
            guard metering.pricing.catalog.resolve(.init(rawValue: model)) != nil else {
                throw GatewayRefusal(MeteringError.unknownModel(model, known: metering.pricing.catalog.ids))
            }
            try await send(.init(type: RelayServerFrame.sessionEstablishedType, sessionID: "tg-" + UUID().uuidString.lowercased(), model: model))
            return Started(caller: caller, presentedKey: key ?? "", model: model, config: frame.config)
        } catch {
            let refusal = GatewayRefusal(error)
            observers.refused(refusal, team: nil)
            try await refuse(refusal)
            return nil
        }
    }

    /// Streams one metered response; returns the text delivered, or `nil` when the connection was closed.
    @inline(never)
    private func turn(_ caller: (team: Team, key: APIKeyRecord), request: ChatRequest) async throws -> String? {
        let stream: MeteredStream
        do {
            stream = try await metering.stream(teamID: caller.team.id, keyID: caller.key.id, request: request)
        } catch {
            let refusal = GatewayRefusal(error)
            observers.refused(refusal, team: caller.team)
            try await refuse(refusal)
            return nil
        }
        let open = metering.metrics.openStreams(.relayWebSocket, .websocket)
        open.increment()
        defer { open.decrement() }
        return try await observers.tracking(stream.admission, team: caller.team, model: request.model, .websocket) {
            try await relay(stream, team: caller.team)
        }
    }

    /// What a turn has relayed so far.
    private struct RelayedTurn {
        var text = ""
        var finishReason: String?
        var cutoff: BudgetCutoff?
        /// Whether the upstream sent anything past accepting the request.
        var produced = false
    }

    /// Relays one admitted stream's events; returns the text delivered, or `nil` when the connection was closed.
    ///
    /// Whatever this loop keeps across an `await` stays allocated in the session's task for the
    /// whole session, so it only awaits: frames are built in `frame(for:turn:team:)`, on the
    /// thread's stack, and the rare endings are separate calls.
    private func relay(_ stream: MeteredStream, team: Team) async throws -> String? {
        var turn = RelayedTurn()
        var events = stream.makeAsyncIterator()
        do {
            while true {
                if shutdown.passed {
                    try await refuseShutdown(try await events.stop(.shutdown))
                    return nil
                }
                let event: MeteredEvent?
                do {
                    event = try await events.next()
                } catch {
                    // What arrived before the failure is billed; the client is told why the turn ended.
                    try await refuseUpstream(error, beforeOutput: !turn.produced)
                    return nil
                }
                guard let event else { break }
                if let frame = try frame(for: event, turn: &turn, team: team) {
                    try await sendText(frame)
                }
            }
        } catch {
            // A send failed: the client went (or the connection is closing). Settle what it was sent, now.
            _ = try? await events.stop(.clientDisconnected)
            throw error
        }
        if let cutoff = turn.cutoff {
            try await refuseCutOff(cutoff)
            return nil
        }
        return turn.text
    }

    /// The JSON text frame the client is sent for `event`, if any; notes what the turn delivered.
    @inline(never)
    /// The text frame an event becomes, if any: the per-chunk frames written by hand, the final
    /// `message_done` through `JSONEncoder` (once per turn).
    private func frame(for event: MeteredEvent, turn: inout RelayedTurn, team: Team) throws -> ByteBuffer? {
        if case .chat(.sessionEstablished) = event {} else { turn.produced = true }
        switch event {
        case .chat(.contentStart):
            return RelayServerFrame.contentBlockStartJSON(index: 0)
        case .chat(.textDelta(let delta)):
            turn.text += delta
            return RelayServerFrame.contentDeltaJSON(delta, index: 0)
        case .chat(.done(let completion)):
            turn.finishReason = completion.finishReason
            return nil
        case .chat(.sessionEstablished), .chat(.usage), .chat(.relayed):
            // Requests from this endpoint carry no client body, so nothing is relayed to them.
            return nil
        case .budgetExhausted(let cut):
            turn.cutoff = cut
            observers.cutOff(cut, team: team)
            return nil
        case .settled(let summary):
            return ByteBuffer(
                string: try Self.json(
                    OutboundFrame(
                        frame: .init(
                            type: RelayServerFrame.messageDoneType,
                            usage: .init(inputTokens: summary.usage.inputTokens, outputTokens: summary.usage.outputTokens),
                            finishReason: turn.cutoff == nil ? turn.finishReason ?? "stop" : "length"
                        ),
                        receipt: CompletionReceipt(summary)
                    )
                )
            )
        }
    }

    @inline(never)
    private func refuseShutdown(_ summary: MeteredSummary) async throws {
        try await refuse(.shuttingDown(after: summary), goingAway: true)
    }

    @inline(never)
    private func refuseUpstream(_ error: any Error, beforeOutput: Bool) async throws {
        // Before any output the upstream's status and code reach the client, as over HTTP.
        try await refuse(beforeOutput ? GatewayRefusal.upstreamBeforeOutput(error) : GatewayRefusal.upstream(error))
    }

    @inline(never)
    private func refuseCutOff(_ cutoff: BudgetCutoff) async throws {
        try await refuse(GatewayRefusal.cutOff(cutoff))
    }

    static func request(_ model: String, _ messages: [ChatMessage], _ config: RelayGenerationConfig?) -> ChatRequest {
        // The config passed `ChatRequestRules` when its frame arrived (`checkedFrame`).
        let generation =
            (try? ChatRequestRules.generation(maxTokens: config?.maxTokens, extras: config?.extras ?? [:]))
            ?? (maxTokens: config?.maxTokens, extras: config?.extras ?? [:])
        return ChatRequest(
            model: model,
            messages: messages,
            maxTokens: generation.maxTokens,
            temperature: config?.temperature,
            topP: config?.topP,
            extras: generation.extras
        )
    }

    /// Sends the refusal as an `error` event and closes the connection: `1001 going away` when the
    /// gateway is stopping, `1008 policy violation` for a refused request.
    private func refuse(_ refusal: GatewayRefusal, goingAway: Bool = false) async throws {
        _ = metering.metrics.sent(refusal, over: .relayWebSocket)
        try await send(
            OutboundFrame(
                frame: .init(type: RelayServerFrame.errorType, message: refusal.message, code: refusal.code, status: Int(refusal.status.code)),
                details: refusal.details
            )
        )
        try await outbound.close(goingAway ? .goingAway : .policyViolation, reason: refusal.code)
    }

    private func send(_ frame: RelayServerFrame) async throws {
        // Protocol errors that keep the session open are errors sent to the client too.
        if frame.type == RelayServerFrame.errorType {
            metering.metrics.sentError(code: frame.code ?? RefusalCode.invalidRequest.rawValue, over: .relayWebSocket)
        }
        try await send(OutboundFrame(frame: frame))
    }

    /// Sends JSON already encoded (the per-chunk frames, written by hand) as one text frame.
    private func sendText(_ json: ByteBuffer) async throws {
        try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: json)))
    }

    private func send(_ frame: OutboundFrame) async throws {
        try await outbound.write(.text(try Self.json(frame)))
    }

    private static func json(_ frame: OutboundFrame) throws -> String {
        String(decoding: try JSONEncoder.gateway.encode(frame), as: UTF8.self)
    }
}

/// A relay server frame with the gateway's additions: `cost` and the `tollgate` receipt on
/// `message_done`, refusal details (budget figures) on `error`.
struct OutboundFrame: Encodable {
    let frame: RelayServerFrame
    var receipt: CompletionReceipt?
    var details: [String: GatewayRefusal.Detail] = [:]

    func encode(to encoder: any Encoder) throws {
        try frame.encode(to: encoder)
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        if let receipt {
            try container.encode(receipt.cost, forKey: AnyCodingKey("cost"))
            try container.encode(receipt.currency, forKey: AnyCodingKey("currency"))
            try container.encode(receipt, forKey: AnyCodingKey("tollgate"))
        }
        for (key, value) in details { try container.encode(value, forKey: AnyCodingKey(key)) }
    }
}

extension GatewayRefusal {
    /// A WebSocket session closed between turns because the gateway is stopping.
    static let sessionClosedForShutdown = GatewayRefusal(
        .gatewayShutdown,
        message: "the gateway is shutting down: this session is closed between turns (nothing was cut); reconnect to continue"
    )

    /// A WebSocket turn cut because the gateway is stopping: what was delivered and what it cost.
    static func shuttingDown(after summary: MeteredSummary) -> GatewayRefusal {
        let receipt = CompletionReceipt(summary)
        var refusal = GatewayRefusal.shuttingDown
        refusal.details = [
            "delivered_output_tokens": .text(String(summary.usage.outputTokens)),
            "cost": .text(receipt.cost), "currency": .text(receipt.currency),
        ]
        return refusal
    }
}
