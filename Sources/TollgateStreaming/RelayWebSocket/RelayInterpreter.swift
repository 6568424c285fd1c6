import NIOCore

/// The interpreter of one upstream answer, by the API it speaks: the exchange reads both the same way.
enum RelayInterpreter {
    case chatCompletions(ChatCompletionsStreamInterpreter)
    case anthropicMessages(AnthropicStreamInterpreter)

    init(api: ChatAPI, relays: Bool) {
        switch api {
        case .chatCompletions: self = .chatCompletions(ChatCompletionsStreamInterpreter(relays: relays))
        case .anthropicMessages: self = .anthropicMessages(AnthropicStreamInterpreter())
        }
    }

    mutating func receive(_ event: ServerSentEventParser.Event) -> RelayStreamInterpreter.Step {
        switch self {
        case .chatCompletions(var interpreter):
            defer { self = .chatCompletions(interpreter) }
            return interpreter.receive(data: event.data)
        case .anthropicMessages(var interpreter):
            defer { self = .anthropicMessages(interpreter) }
            return interpreter.receive(event: event.type, data: event.data)
        }
    }

    mutating func relayBody(_ body: ByteBuffer) -> RelayStreamInterpreter.Step {
        switch self {
        case .chatCompletions(var interpreter):
            defer { self = .chatCompletions(interpreter) }
            return interpreter.relayBody(body)
        case .anthropicMessages(var interpreter):
            defer { self = .anthropicMessages(interpreter) }
            return interpreter.relayBody(body)
        }
    }

    mutating func endOfBody() -> RelayStreamInterpreter.Step {
        switch self {
        case .chatCompletions(var interpreter):
            defer { self = .chatCompletions(interpreter) }
            return interpreter.endOfBody()
        case .anthropicMessages(var interpreter):
            defer { self = .anthropicMessages(interpreter) }
            return interpreter.endOfBody()
        }
    }
}
